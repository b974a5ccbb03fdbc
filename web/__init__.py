"""HTTP routes served beside the Streamlit app, and the background worker."""
