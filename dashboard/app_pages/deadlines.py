import streamlit as st

st.title("deadlines")
st.info("Diese Seite wird gerade gebaut.")
