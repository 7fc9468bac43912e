import streamlit as st

st.title("coverage")
st.info("Diese Seite wird gerade gebaut.")
