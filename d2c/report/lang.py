"""The report's language: English, or Italian (``--lang it``) for Italian civil protection.

Two catalogues: fixed text (titles, headings, table headers and labels,
results, HSEEP ratings, fixed paragraphs) translated word for word, and the
sentences the report builds from the run's figures, each an English template
with typed holes and its Italian form. A hole is ``{n:name}`` for a number
(written the Italian way: ``129,291.5`` becomes ``129.291,5``), ``{w:name}``
for words translated in turn, ``{l:name}`` and ``{L:name}`` for lists (", "
and "; " separated) whose items are translated in turn, and ``{s:name}`` for
text kept as written (names, times, what a drill or scenario file says).

What is not translated: text from the drill and scenario files (descriptions,
injects, objectives, the decision catalogue), and the model's own
descriptions in the assumptions (docs/DRILLS.md says so).
"""

from __future__ import annotations

import re

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
    "Objectives by role": "Obiettivi per ruolo",
    "role": "ruolo",
    "(no role)": "(nessun ruolo)",
    "not met": "non raggiunti",
    "ratings": "valutazioni",
    "objectives": "obiettivi",
    "met": "raggiunti",
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
    # more fixed text: sections, labels, cells
    "Restoration": "Ripristino",
    "Restoration was off: nothing was repaired unless a decision did it.":
        "Ripristino disattivato: nulla è stato riparato se non per decisione dei giocatori.",
    "This result has no headline figures; run it again with this version.":
        "Questo risultato non ha i dati principali: va eseguito di nuovo con questa versione.",
    "No 112 path, worst instant": "Senza accesso al 112, momento peggiore", "  when": "  quando",
    "Person-hours, no 112 path": "Ore-persona senza accesso al 112",
    "Longest outage, one area": "Interruzione più lunga, singola area",
    "  where (+ areas as long)": "  dove (+ aree con la stessa durata)", "the same": "uguale",
    "112 demand served, whole run": "Domanda 112 servita, intero periodo", "none": "nessuna",
    "no area half cut off": "nessuna area isolata per metà", "not stated": "non indicato", "n/a": "n.d.",
    "everywhere": "ovunque", "no change": "nessuna variazione",
    "tabletop exercise on the d2c emulator; play limited to the decisions in the catalogue":
        "esercitazione per posti di comando sull'emulatore d2c; gioco limitato alle decisioni del catalogo",
    "a scenario run without players": "una simulazione di scenario senza giocatori",
    "scenario run": "simulazione di scenario",
    "recorded only, no modelled effect": "solo registrata, nessun effetto nel modello",
    "No counterfactual in this result: the effect of decisions is measured only by d2c drill.":
        "Nessun confronto in questo risultato: l'effetto delle decisioni si misura solo con d2c drill.",
    "Each decision against the same drill without that decision alone (all others kept).":
        "Ogni decisione confrontata con la stessa esercitazione senza quella sola decisione (le altre restano).",
    "Areas with the most person-hours without terrestrial service:":
        "Aree con più ore-persona senza servizio terrestre:",
    "Share of 112 demand (calls and SMS) served at each step; every band on the same scale.":
        "Quota della domanda 112 (chiamate e SMS) servita a ogni passo; tutte le bande sulla stessa scala.",
    "D2C served no one in this run (off, on standby, or no area lost its cells while a beam was up)":
        "Il D2C non ha servito nessuno (spento, in attesa, o nessuna area ha perso le celle sotto un fascio attivo)",
    "D2C added nothing in this run: check whether a satellite service was available and switched on":
        "Il D2C non ha aggiunto nulla: verificare se un servizio satellitare era disponibile e attivato",
    "D2C added nothing in this run": "Il D2C non ha aggiunto nulla in questa simulazione",
    "check the satellite service contract and its activation":
        "verificare il contratto del servizio satellitare e la sua attivazione",
    "substation crews": "squadre delle sottostazioni", "curve": "curva dello scenario",
    "recorded, no modelled effect yet: the model already serves 112 first on cells and beams":
        "registrata, ancora senza effetto nel modello: il modello serve già per primo il 112 su celle e fasci",
    # HSEEP ratings in words, the causes' explanations and the advice for them
    "performed without challenges": "svolto senza criticità",
    "performed with some challenges": "svolto con alcune criticità",
    "performed with major challenges": "svolto con criticità rilevanti",
    "unable to be performed": "non svolto",
    "broken by the incident itself (shaking, water, strikes)":
        "danneggiati dall'evento stesso (scuotimento, acqua, attacchi)",
    "grid lost, then battery and generator fuel ran out":
        "rete elettrica persa, poi esaurite batterie e carburante dei generatori",
    "radio jammed": "radio disturbata",
    "standing and powered, but no path to a core (a node, a fibre or an upstream site lost)":
        "integri e alimentati, ma senza collegamento a una rete core (perso un nodo, una fibra o un sito a monte)",
    "a path to a core, but no working voice core delivering to a working answering point":
        "collegati a una rete core, ma nessuna rete voce funzionante verso una centrale di risposta attiva",
    "pre-position cells on wheels and repair crews for the worst-hit valleys":
        "preposizionare celle mobili (COW) e squadre di riparazione per le valli più colpite",
    "longer battery autonomy or generators at the sites that went dark, fuel logistics from the first hours":
        "più autonomia delle batterie o generatori nei siti rimasti spenti, logistica del carburante dalle prime ore",
    "direction finding and D2C as a jamming-resistant fallback":
        "radiogoniometria e D2C come riserva resistente al disturbo",
    "a second backhaul route (fibre ring, microwave or satellite) for the nodes whose loss cut sites off":
        "un secondo percorso di trasporto (anello in fibra, ponte radio o satellite) per i nodi la cui perdita "
        "ha isolato dei siti",
    "geo-redundant cores and answering points with independent power":
        "reti core e centrali di risposta geo-ridondanti con alimentazione indipendente",
}

#: Sentences built from a run's figures: English template -> Italian template (holes: the module's docstring).
IT_SENTENCES = {
    # executive summary
    "at the worst instant {n:a} of people had no 112 path ({n:b} without D2C); {n:c} person-hours without one "
    "({n:d} without D2C)":
        "nel momento peggiore il {a} delle persone era senza accesso al 112 ({b} senza D2C); {c} ore-persona "
        "senza accesso ({d} senza D2C)",
    "112 demand served over the run: {n:a} with D2C, {n:b} without; peak sites down {n:c} of {n:d}":
        "domanda 112 servita nell'intero periodo: {a} con D2C, {b} senza; picco dei siti fuori servizio {c} su {d}",
    "{s:name}: scenario run": "{name}: simulazione di scenario",
    "objectives rated: {l:x}": "valutazione degli obiettivi: {x}",
    "{n:n} P ({w:r})": "{n} P ({r})", "{n:n} S ({w:r})": "{n} S ({r})",
    "{n:n} M ({w:r})": "{n} M ({r})", "{n:n} U ({w:r})": "{n} U ({r})",
    "most site-hours were lost to {w:c}: {w:a}": "causa principale delle ore-sito perse: {c}; {a}",
    # headline
    "{n:a} ({n:b})": "{a} ({b})",
    "Restore {s:f}% of people": "Ripristino del {f}% delle persone",
    "Restore {s:f}% of sites": "Ripristino del {f}% dei siti",
    "No 112 path: neither a terrestrial one nor a D2C one. Restore times count from the incident start ({s:t}) "
    "until that share of what was lost at the worst instant is back. An area is out while at least half of its "
    "people have no 112 path. Without D2C: the same run, cells only.":
        "Senza accesso al 112: né terrestre né D2C. I tempi di ripristino si contano dall'inizio dell'evento "
        "({t}) finché non torna quella quota di ciò che si era perso nel momento peggiore. Un'area è fuori "
        "servizio finché almeno metà delle persone non ha accesso al 112. Senza D2C: la stessa simulazione, "
        "solo celle.",
    "Without the players' decisions: {n:a} person-hours with no 112 path (with D2C), {n:b} without D2C; worst "
    "instant {n:c} with D2C, {n:d} without.":
        "Senza le decisioni dei giocatori: {a} ore-persona senza accesso al 112 (con D2C), {b} senza D2C; "
        "momento peggiore {c} con D2C, {d} senza.",
    # overview
    "{s:a} to {s:b} UTC (scenario time)": "dal {a} al {b} UTC (tempo dello scenario)",
    "{s:name}: {n:p} people, {n:s} cell sites": "{name}: {p} persone, {s} siti cellulari",
    "{n:h} h in steps of {n:s} s, seed {s:seed}": "{h} h a passi di {s} s, seme {seed}",
    # objectives
    "Ratings: met by at least {n:a} of the target P, met S, missed by at most {n:b} M, missed by more U (an "
    "assumed rule; HSEEP leaves it to evaluators).":
        "Valutazioni: soglia superata di almeno il {a} P, raggiunta S, mancata di non più del {b} M, mancata di "
        "più U (una regola ipotizzata: HSEEP la lascia ai valutatori).",
    "{n:v} person-hours": "{v} ore-persona",
    # incident timeline
    "INJECT: {s:a} — model: {s:b}": "INJECT: {a} — modello: {b}",
    "first site down by {w:c}: {n:n}": "primo sito fuori servizio per {c}: {n}",
    "most sites down by {w:c}: {n:n}": "massimo di siti fuori servizio per {c}: {n}",
    "no site down by {w:c} any more": "più nessun sito fuori servizio per {c}",
    "peak outage: {n:a} of {n:b} sites down": "picco dell'interruzione: {a} di {b} siti fuori servizio",
    "fewest people with terrestrial service: {n:a} ({n:b})": "minimo di persone con servizio terrestre: {a} ({b})",
    # decisions and their effect
    "{n:n} decision(s), {n:e} EUR in total. Recorded-only decisions are kept in the log and this report but have "
    "no modelled effect yet.":
        "{n} decisioni, {e} EUR in totale. Le decisioni solo registrate restano nel registro e in questo rapporto, "
        "ma non hanno ancora un effetto nel modello.",
    "reached {n:a} of {n:b} people": "raggiunte {a} persone su {b}",
    "target up {n:a} h (without: {n:b} h)": "bersaglio in servizio {a} h (senza: {b} h)",
    "target up {n:a} h (without: {n:b} h); still down {l:x}": "bersaglio in servizio {a} h (senza: {b} h); "
                                                                "ancora fuori servizio {x}",
    "{n:h} h by {w:c}": "{h} h per {c}",
    "All decisions together: {n:a} person-hours with no 112 path ({n:b} without D2C)":
        "Tutte le decisioni insieme: {a} ore-persona senza accesso al 112 ({b} senza D2C)",
    "112 demand served {n:a} against {n:b} without them ({n:c} pp); without D2C {n:d} against {n:e}":
        "domanda 112 servita {a} contro {b} senza di esse ({c} pp); senza D2C {d} contro {e}",
    "{n:a} person-hours of terrestrial service, {n:b} person-hours with no service at all":
        "{a} ore-persona di servizio terrestre, {b} ore-persona senza alcun servizio",
    # what failed
    "{s:name} ({n:p} people): {n:a} h without terrestrial service, {n:b} h with no service at all":
        "{name} ({p} persone): {a} h senza servizio terrestre, {b} h senza alcun servizio",
    # restoration
    "{n:a} crews in {n:b} pools, busy {n:c} of their working hours (policy {s:p}); {n:d} repairs done, "
    "{n:e} pending":
        "{a} squadre in {b} gruppi, impegnate per il {c} delle ore di lavoro (criterio {p}); {d} riparazioni "
        "concluse, {e} in attesa",
    "portable generators: {n:a} deployed from a pool of {n:b} (at most {n:c} out at once)":
        "generatori portatili: {a} impiegati da una dotazione di {b} (al massimo {c} in uso insieme)",
    "portable generators: {n:a} deployed from a pool of {n:b} (at most {n:c} out at once), {n:d} brought on "
    "request":
        "generatori portatili: {a} impiegati da una dotazione di {b} (al massimo {c} in uso insieme), {d} "
        "portati su richiesta",
    "fuel: {n:a} deliveries in {n:b} truck rounds ({n:c} trucks)":
        "carburante: {a} rifornimenti in {b} giri di autobotte ({c} autobotti)",
    "grid: {w:g}; {n:a} restarts after power came back":
        "rete elettrica: {g}; {a} riavvii al ritorno dell'alimentazione",
    # D2C
    "112 demand served with D2C {n:a}, without {n:b}: D2C added {n:c} pp":
        "domanda 112 servita con D2C {a}, senza {b}: il D2C ha aggiunto {c} pp",
    "at its peak, {n:a} people were under D2C beams; every 112 attempt on D2C fitted the beams":
        "al picco, {a} persone erano sotto i fasci D2C; ogni tentativo 112 sul D2C è rientrato nella capacità dei fasci",
    "at its peak, {n:a} people were under D2C beams; {n:b} 112 attempts on D2C did not fit the beams":
        "al picco, {a} persone erano sotto i fasci D2C; {b} tentativi 112 sul D2C non sono rientrati nella capacità dei fasci",
    "{n:a} people on D2C's footprint at its peak were outside the provider's offer (other operators' subscribers, "
    "incompatible phones) and had no D2C path":
        "{a} persone nell'area coperta dal D2C al suo picco erano fuori dall'offerta del fornitore (clienti di "
        "altri operatori, telefoni non compatibili) e non avevano accesso al D2C",
    "{n:a} calls to family and SMS on D2C did not fit the beams":
        "{a} chiamate ai familiari e SMS sul D2C non sono rientrati nella capacità dei fasci",
    "without the players' decisions: {n:a} with D2C, {n:b} without":
        "senza le decisioni dei giocatori: {a} con D2C, {b} senza",
    # strengths
    "Objective met: {s:o} ({n:v})": "Obiettivo raggiunto: {o} ({v})",
    "Warning to everywhere reached {n:a} of {n:b} people, first at {s:f}":
        "Allerta a tutti: raggiunte {a} persone su {b}, le prime a {f}",
    "Warning to {w:t} reached {n:a} of {n:b} people, first at {s:f}":
        "Allerta per {t}: raggiunte {a} persone su {b}, le prime a {f}",
    "{s:d} ({w:t}, acting {s:f}): {L:x}": "{d} ({t}, attiva da {f}): {x}",
    "{n:a} fewer person-hours with no 112 path": "{a} ore-persona in meno senza accesso al 112",
    "{n:a} of 112 demand served": "{a} di domanda 112 servita",
    "{n:a} more person-hours of terrestrial service": "{a} ore-persona in più di servizio terrestre",
    "{s:t} in service {n:h} h longer": "{t} in servizio {h} h in più",
    "D2C carried {n:a} of 112 demand that the cells could not":
        "il D2C ha servito {a} di domanda 112 che le celle non potevano servire",
    "112 service held: {n:a} of demand served over the exercise":
        "servizio 112 mantenuto: {a} della domanda servita durante l'esercitazione",
    # areas for improvement
    "Objective not met: {s:o} (measured {n:v})": "Obiettivo non raggiunto: {o} (misurato {v})",
    "Warning to {w:t} reached only {n:a} of {n:b} people: no cell-broadcast path (no site in service with a CBC, "
    "no D2C beam) in the rest":
        "Allerta per {t}: raggiunte solo {a} persone su {b}; nel resto nessun percorso cell broadcast (nessun sito "
        "attivo con un CBC, nessun fascio D2C)",
    "{s:d} ({w:t}): {w:note}; assess it in the hot wash": "{d} ({t}): {note}; da valutare al debriefing",
    "{s:d} ({w:t}, acting {s:f}) changed nothing measurable — the target stayed down by {l:c}":
        "{d} ({t}, attiva da {f}) non ha cambiato nulla di misurabile: il bersaglio è rimasto fuori servizio "
        "per {c}",
    "{s:d} ({w:t}, acting {s:f}) changed nothing measurable (a redundant path, a target already working, or too "
    "late)":
        "{d} ({t}, attiva da {f}) non ha cambiato nulla di misurabile (percorso ridondante, bersaglio già "
        "funzionante, o troppo tardi)",
    "Most site-hours were lost to {w:c} ({n:h} site-hours): consider {w:a}":
        "Causa principale delle ore-sito perse: {c} ({h} ore-sito); valutare: {a}",
    "Most person-hours without terrestrial service: {s:x}": "Più ore-persona senza servizio terrestre: {x}",
    "Only {n:a} of 112 demand was served": "Solo il {a} della domanda 112 è stato servito",
    # improvement plan
    "{n:h} site-hours lost to {w:c}": "{h} ore-sito perse per {c}",
    "objective rated {s:c}: {s:o}": "obiettivo valutato {c}: {o}",
    "Owners and due dates are proposals ({n:d} days after the exercise, assumed) for the hot wash to confirm.":
        "Responsabili e scadenze sono proposte ({d} giorni dopo l'esercitazione, un'ipotesi) da confermare al "
        "debriefing.",
}
TABLES = {"it": IT}
SENTENCES = {"it": IT_SENTENCES}

#: A figure as the report writes it: comparison sign, sign, digits with thousands commas, decimals, unit.
_NUMBER = r"(?:(?:>=|<=|>|<) ?)?[-+]?\d[\d,]*(?:\.\d+)?(?:/>?\d[\d,]*(?:\.\d+)?)*(?:%| h| pp| EUR)?"
_HOLE = re.compile(r"\{([nwlLs]):(\w+)\}")


def _compile(template: str) -> re.Pattern:
    """An English template as a regular expression, one named group per hole."""
    out, pos = [], 0
    for m in _HOLE.finditer(template):
        out.append(re.escape(template[pos:m.start()]))
        out.append(f"(?P<{m.group(2)}>{_NUMBER if m.group(1) == 'n' else '.+?'})")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out))


_COMPILED = {lang: [(_compile(en), {m.group(2): m.group(1) for m in _HOLE.finditer(en)}, _HOLE.sub(r"{\2}", it))
                    for en, it in table.items()]
             for lang, table in SENTENCES.items()}
_SWAP = str.maketrans(",.", ".,")


def number(text: str, lang: str) -> str:
    """A figure written in ``lang``'s way.

    >>> number("129,291.5", "it"), number("+0.51 pp", "it"), number("2.8%", "en")
    ('129.291,5', '+0,51 pp', '2.8%')
    """
    return text.translate(_SWAP) if lang == "it" else text


def word(text: str, lang: str) -> str:
    """``text`` in ``lang`` when the report has a translation for it, else as is.

    >>> word("Strengths", "it"), word("Strengths", "en"), word("Norcia", "it")
    ('Punti di forza', 'Strengths', 'Norcia')
    >>> word("peak outage: 11.7% of 1,325 sites down", "it")
    "picco dell'interruzione: 11,7% di 1.325 siti fuori servizio"
    """
    fixed = TABLES.get(lang, {})
    if text in fixed:
        return fixed[text]
    if re.fullmatch(_NUMBER, text):
        return number(text, lang)
    for pattern, kinds, target in _COMPILED.get(lang, ()):
        m = pattern.fullmatch(text)
        if m:
            return target.format(**{name: _hole(kinds[name], value, lang) for name, value in m.groupdict().items()})
    return text


def _hole(kind: str, value: str, lang: str) -> str:
    if kind == "n":
        return number(value, lang)
    if kind == "w":
        return word(value, lang)
    if kind in "lL":
        sep = ", " if kind == "l" else "; "
        return sep.join(word(item, lang) for item in value.split(sep))
    return value
