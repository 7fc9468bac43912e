"""Über / Datenquellen: where the data comes from (attribution), how numbers are counted, sample-data note."""

import pandas as pd
import streamlit as st

from dashboard import state, ui
from dashboard.data import load
from ozg import config, fmt, queries
from ozg.domain import REIFEGRAD_LABELS_11, counting_rule_text
from ozg.kommunen import cooperation_name

PROVENANCE = config.DATA_DIR / "PROVENANCE.md"


view = state.sidebar_view()
st.title("Über / Datenquellen")
ui.note(f"OZG-Cockpit der {cooperation_name()}")
if not ui.sample_banner():
    if load(queries.history_span)[0]:
        st.success("Die Datenbank enthält Meldungen der Städte (keine Beispieldaten).")
    else:
        st.info(ui.EMPTY_HINT)
else:
    st.markdown("Die Beispieldaten sind mit festem Startwert erzeugt und als solche gekennzeichnet (Importe der "
                "Art „Beispieldaten“, Benutzer „Beispieldaten“). Sie orientieren sich an öffentlich Bekanntem, "
                "etwa dass "
                "Marburg rund 50 Leistungen Ende-zu-Ende mit Bezahlung anbietet; **jeder einzelne Wert ist "
                "erfunden**. Sobald eine Stadt echte Daten meldet, ersetzen diese die Beispielwerte.")

st.header("Zählregel")
st.markdown(f"**{counting_rule_text(view.threshold)}**. Die Schwelle lässt sich links unter "
            "„Zählregel“ ändern; jede Zahl im Cockpit nennt die Regel, nach der sie gezählt ist.")
st.markdown("- **Anteil** = online ÷ relevante Leistungen; relevant sind alle Leistungen des Katalogs außer "
            "denen, die eine Stadt als „nicht relevant“ meldet.\n"
            "- **Überfällig**: „Geplant bis“ liegt vor dem Stand-Datum, die Leistung ist noch nicht online.\n"
            "- **Ende-zu-Ende**: Antrag bis Bezahlung vollständig online; gezählt nur, wenn auch online.\n"
            "- **Summe der Städte**: eine Leistung, die in drei Städten online ist, zählt dreimal.\n"
            "- **Stand**: Zahlen für ein vergangenes Datum werden aus der lückenlosen Historie rekonstruiert.")
ui.table(pd.DataFrame({"Reifegradmodell 1.1": list(REIFEGRAD_LABELS_11.values())}), key="reifegrade")

st.header("Datenquellen")
for line in ui.attribution_lines(PROVENANCE.read_text(encoding="utf-8")):
    st.text(line)
ui.note("Einzelheiten: data/PROVENANCE.md im Projektarchiv. Portal-Adressen außer Marburg sind ungeprüft.")

st.header("Aktualität")
reports = load(queries.last_reports, as_of=view.as_of, group=view.group)
ui.note(ui.freshness_text(reports, view.day))
ui.table(reports.assign(last=[fmt.date(v, missing="noch keine Meldung") for v in reports["last_report"]])
         [["name", "last"]].rename(columns={"name": "Stadt", "last": "Letzte Meldung"}), key="aktualitaet")
