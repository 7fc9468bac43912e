import streamlit as st

st.title("overview")
st.info("Diese Seite wird gerade gebaut.")
