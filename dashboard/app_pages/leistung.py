import streamlit as st

st.title("leistung")
st.info("Diese Seite wird gerade gebaut.")
