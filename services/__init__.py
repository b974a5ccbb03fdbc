"""Use cases in domain words. No streamlit here: pages call these and get plain data back."""
