"""The report's language: English, or Italian (``--lang it``) for Italian civil protection.

The translation covers the report's structure, which is fixed text: the
title, section headings, table headers and row labels, results and HSEEP
ratings, and the improvement plan's fixed entries. Sentences built from the
run's own figures stay in English for now (docs/DRILLS.md says so).
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "word"]

LANGUAGES = ("en", "it")

IT = {
    # title and sections
    "After-action report": "Rapporto post-esercitazione",
    "Executive summary": "Sintesi",
    "Headline": "Dati principali",
    "Headline: who had no 112 path": "Dati principali: chi è rimasto senza accesso al 112",
    "Exercise overview": "Quadro dell'esercitazione",
    "Objectives and capability ratings": "Obiettivi e valutazione delle capacità",
    "Incident timeline": "Cronologia dell'evento",
    "Decision timeline": "Cronologia delle decisioni",
    "What failed and why": "Cosa non ha funzionato e perché",
    "Effect of the decisions": "Effetto delle decisioni",
    "D2C's contribution": "Contributo del D2C (satellite diretto al cellulare)",
    "Survival over time": "Continuità del servizio nel tempo",
    "Strengths": "Punti di forza",
    "Areas for improvement": "Aree di miglioramento",
    "Improvement plan": "Piano di miglioramento",
    "Assumptions": "Ipotesi",
    "Run detail": "Dettaglio della simulazione",
    "Decision catalogue": "Catalogo delle decisioni",
    "Sites down by cause over time": "Siti fuori servizio per causa nel tempo",
    # table headers
    "objective": "obiettivo", "measure": "misura", "target": "soglia", "measured": "misurato", "result": "esito",
    "rating (HSEEP)": "valutazione (HSEEP)", "time": "ora", "event": "evento", "applied": "applicata",
    "action": "azione", "taken": "presa", "decision": "decisione", "arguments": "parametri", "acts": "effetto da",
    "cost EUR": "costo EUR", "in the model": "nel modello", "cause": "causa", "why": "perché",
    "peak sites": "siti al picco", "at": "alle", "site-hours": "ore-sito", "all down": "totale fuori servizio",
    "does": "cosa fa", "delay": "tempo di attuazione", "available": "disponibili", "issue": "criticità",
    "corrective action": "azione correttiva", "capability": "capacità", "owner": "responsabile",
    "due": "scadenza", "detail": "dettaglio", "with D2C": "con D2C", "without D2C": "senza D2C",
    "damage": "danni", "power": "alimentazione", "jamming": "disturbo radio", "backhaul": "trasporto",
    "core": "rete core", "112 served": "112 servito", "person-h no 112": "ore-persona senza 112",
    "person-h on cells": "ore-persona su rete cellulare",
    # overview labels
    "Exercise": "Esercitazione", "Exercise dates": "Date", "Scope": "Ambito", "Scenario": "Scenario",
    "Territory": "Territorio", "Threat or hazard": "Minaccia o rischio", "Satellite fallback": "Riserva satellitare",
    "Clock": "Orologio",
    # results and ratings
    "MET": "RAGGIUNTO", "NOT MET": "NON RAGGIUNTO", "assessed by the players": "valutato dai giocatori",
    "see hot wash": "vedi debriefing", "recorded only": "solo registrata", "modelled": "modellata",
    "P: performed without challenges": "P: svolto senza criticità",
    "S: performed with some challenges": "S: svolto con alcune criticità",
    "M: performed with major challenges": "M: svolto con criticità rilevanti",
    "U: unable to be performed": "U: non svolto",
    # fixed paragraphs
    "No objectives were set in the drill file.": "Il file dell'esercitazione non fissa obiettivi.",
    "No decisions: this result is not from a drill.": "Nessuna decisione: il risultato non viene da "
                                                      "un'esercitazione.",
    "The players took no decisions.": "I giocatori non hanno preso decisioni.",
    "Nothing failed in this run.": "In questa simulazione non si è guastato nulla.",
    "No site went down.": "Nessun sito è andato fuori servizio.",
    "None identified by the model; see the hot wash.": "Nessuno individuato dal modello; vedi il debriefing.",
    "No issue to plan for; see the hot wash.": "Nessuna criticità da pianificare; vedi il debriefing.",
    "review the plan for this objective at the hot wash": "rivedere il piano per questo obiettivo al debriefing",
    "exercise planning team": "gruppo di pianificazione dell'esercitazione",
    "Operational Communications": "Comunicazioni operative", "Infrastructure Systems": "Sistemi infrastrutturali",
    "mobile operators (field operations)": "operatori mobili (interventi sul campo)",
    "mobile operators with the grid operator": "operatori mobili con il gestore della rete elettrica",
    "spectrum regulator with the operators": "autorità per lo spettro con gli operatori",
    "mobile operators (transport planning)": "operatori mobili (pianificazione del trasporto)",
    "mobile operators (core network)": "operatori mobili (rete core)",
    "civil protection (procurement)": "protezione civile (approvvigionamenti)",
}
TABLES = {"it": IT}


def word(text: str, lang: str) -> str:
    """``text`` in ``lang`` when the report has a translation for it, else as is.

    >>> word("Strengths", "it"), word("Strengths", "en"), word("Norcia", "it")
    ('Punti di forza', 'Strengths', 'Norcia')
    """
    return TABLES.get(lang, {}).get(text, text)
