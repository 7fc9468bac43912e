import streamlit as st

st.title("savings")
st.info("Diese Seite wird gerade gebaut.")
