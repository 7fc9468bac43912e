import streamlit as st

st.title("reports")
st.info("Diese Seite wird gerade gebaut.")
