import streamlit as st

st.title("about")
st.info("Diese Seite wird gerade gebaut.")
