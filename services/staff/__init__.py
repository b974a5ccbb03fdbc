"""The back office: what reception staff and managers work from."""
