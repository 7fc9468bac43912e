import streamlit as st

st.title("kommune")
st.info("Diese Seite wird gerade gebaut.")
