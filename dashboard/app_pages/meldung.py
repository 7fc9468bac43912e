import streamlit as st

st.title("meldung")
st.info("Diese Seite wird gerade gebaut.")
