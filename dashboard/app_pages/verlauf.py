import streamlit as st

st.title("verlauf")
st.info("Diese Seite wird gerade gebaut.")
