"""The words of the report's first page in English and Danish (config ``report.language``).

One template: :class:`evaluation.report.document.Report` fills the same numbers into the phrases of the chosen
language.  The sections after the first page (methods, tables, figures) are in English; a Danish first page
says so.  Numbers follow the language's conventions (Danish: decimal comma, thousands with a full stop).
"""

from __future__ import annotations

LANGUAGES = ("en", "da")

TEXT = {
    "en": {
        "title": "Did the reform in {name} Kommune get benefit recipients into work?",
        "subtitle": "Municipality {kom}, reform from {year0}. Run <code>{run}</code>, source: <b>{source}</b>.",
        "source": {"synthetic": "synthetic", "extract": "register extracts"},
        "banner": ("<b>Synthetic registers.</b> Every person, hour and benefit below is simulated: a world built to "
                   "resemble the registers, with a planted effect of known size. The numbers show how the method "
                   "performs when the truth is known, not what happened in the municipality."),
        "group": {"stock": "the yearly stock of the target group (everyone in it that year)",
                  "cohort": "the fixed cohort of the target group in {baseline}"},
        "design": {"stock": "stock", "cohort": "cohort"},
        "answer": "<b>Answer ({design}).</b> Net of the business cycle, yearly paid hours of {group} {verb} {rest}",
        "unit": "hours per person per year",
        "of_baseline": ", {pct} % of the {base} hours before the reform",
        "persons": (" For the about {n} persons a year of the design after the reform that is about {total} hours a "
                    "year, about {fte} full-time jobs ({fte_hours} hours a year each)."),
        "planted": " The planted effect in this synthetic world: {truth} hours.",
        "robustness": ("Robustness: the design's {k} other cycle-adjusted specifications with a finite interval range "
                       "from {low} to {high} hours ({sig} significant at 5 %)."),
        "published": "Published: +{low} to +{high} hours{from_base} ({source}); {relation}.",
        "from_base": " from about {base}",
        "relation": {"inside": "inside our interval", "overlap": "overlapping our interval",
                     "outside": "outside our interval", "none": "beside an estimate without an interval"},
        "no_claim": "For {group} no estimate is stated as net of the business cycle. {reason}",
        "money": ("<b>Money.</b> Priced at the benefit rates, the reform changed benefit payments by {paid} mio. kr. "
                  "through {year} (+ = more paid; specification <code>{spec}</code>, the yearly intervals are in the "
                  "investment section), against {invested} mio. kr. invested: net {net} mio. kr. for the public "
                  "purse."),
        "claims": (" The municipality's own account: {invested} mio. kr. invested and about {saved} mio. kr. saved "
                   "through {year}. The municipality does not publish how that figure was computed; by its own "
                   "director's account part of the gain came from the boom, which this estimate nets out. The "
                   "difference is not reconciled here."),
        "weeks": (" Weeks on public support per person: estimated change {change} against the target of {target} "
                  "({before} to {after})."),
        "rest_in_english": "",
        "config_in_english": "",
        # effect phrases (evaluation.report.headline.effect_phrase)
        "no_interval": "no 95% interval is available with this few comparison municipalities",
        "interval": "95% interval {low} to {high}",
        "p": "; p = {p}",
        # (verb, the rest): English puts the verb after the subject, Danish before it
        "no_change": ("showed", "no detectable change ({est} {unit}; {ci}{pv})"),
        "changed": ("changed", "by {est} {unit} ({ci}{pv})"),
        "rose": ("rose", "by {est} {unit} ({ci}{pv})"),
        "fell": ("fell", "by {est} {unit} ({ci}{pv})"),
    },
    "da": {
        "title": "Fik reformen i {name} Kommune borgere på offentlig forsørgelse i arbejde?",
        "subtitle": "Kommune {kom}, reform fra {year0}. Kørsel <code>{run}</code>, kilde: <b>{source}</b>.",
        "source": {"synthetic": "syntetiske registre", "extract": "registerudtræk"},
        "banner": ("<b>Syntetiske registre.</b> Alle personer, timer og ydelser nedenfor er simulerede: en verden "
                   "bygget til at ligne registrene, med en indplantet effekt af kendt størrelse. Tallene viser, "
                   "hvordan metoden klarer sig, når sandheden er kendt, ikke hvad der skete i kommunen."),
        "group": {"stock": "den årlige bestand af målgruppen (alle i målgruppen det år)",
                  "cohort": "den faste kohorte af målgruppen i {baseline}"},
        "design": {"stock": "bestand", "cohort": "kohorte"},
        "answer": "<b>Svar ({design}).</b> Korrigeret for konjunkturerne {verb} de årlige betalte timer for "
                  "{group} {rest}",
        "unit": "timer pr. person pr. år",
        "of_baseline": ", {pct} % af de {base} timer før reformen",
        "persons": (" For de omkring {n} personer om året i designet efter reformen er det omkring {total} timer om "
                    "året, omkring {fte} fuldtidsjob ({fte_hours} timer om året hver)."),
        "planted": " Den indplantede effekt i denne syntetiske verden: {truth} timer.",
        "robustness": ("Robusthed: designets {k} andre konjunkturkorrigerede specifikationer med et endeligt interval "
                       "ligger mellem {low} og {high} timer ({sig} signifikant{plural} på 5 %-niveau)."),
        "published": "Offentliggjort: +{low} til +{high} timer{from_base} ({source}); {relation}.",
        "from_base": " fra omkring {base}",
        "relation": {"inside": "inden for vores interval", "overlap": "overlapper vores interval",
                     "outside": "uden for vores interval", "none": "ved siden af et estimat uden interval"},
        "no_claim": "For {group} angives intet estimat som korrigeret for konjunkturerne. {reason}",
        "money": ("<b>Økonomi.</b> Prissat med ydelsessatserne ændrede reformen udbetalingerne af ydelser med {paid} "
                  "mio. kr. til og med {year} (+ = mere udbetalt; specifikation <code>{spec}</code>, de årlige "
                  "intervaller står i afsnittet om investeringen), mod {invested} mio. kr. investeret: netto {net} "
                  "mio. kr. for de offentlige kasser."),
        "claims": (" Kommunens egen opgørelse: {invested} mio. kr. investeret og omkring {saved} mio. kr. sparet til "
                   "og med {year}. Kommunen offentliggør ikke, hvordan tallet er beregnet; ifølge dens egen direktør "
                   "kom en del af gevinsten fra højkonjunkturen, som dette estimat korrigerer for. Forskellen er ikke "
                   "afstemt her."),
        "weeks": (" Uger på offentlig forsørgelse pr. person: estimeret ændring {change} mod målet {target} "
                  "({before} til {after})."),
        "rest_in_english": ("<p id='language-note'><i>Resten af rapporten (metoder, tabeller og figurer) er på "
                            "engelsk; tallene er de samme.</i></p>"),
        "config_in_english": " (engelsk tekst fra konfigurationen)",
        "no_interval": "intet 95 %-interval kan beregnes med så få sammenligningskommuner",
        "interval": "95 %-interval {low} til {high}",
        "p": "; p = {p}",
        "no_change": ("viste", "ingen påviselig ændring ({est} {unit}; {ci}{pv})"),
        "changed": ("ændredes", "med {est} {unit} ({ci}{pv})"),
        "rose": ("steg", "med {est} {unit} ({ci}{pv})"),
        "fell": ("faldt", "med {est} {unit} ({ci}{pv})"),
    },
}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"report.language: {lang!r} is not a language of the report; expected one of "
                         f"{list(LANGUAGES)}")
    return lang


def number(x: float, digits: int = 0, lang: str = "en", sign: bool = False) -> str:
    """``x`` with ``digits`` decimals and thousands separators in the language's convention (never '-0')."""
    s = f"{x:{'+' if sign else ''},.{digits}f}"
    if s.lstrip("+-").strip("0.,") == "":
        s = s.lstrip("+-")
    if lang == "da":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def effect_parts(estimate: float, low: float | None, high: float | None, p: float | None, unit: str,
                 lang: str = "en") -> tuple[str, str]:
    """(verb, rest) of 'rose' / 'by 36 hours per person per year (95% interval 10 to 62; p = 0.020)' and its
    variants: 'no detectable change' when the interval covers zero; an interval that cannot be computed is
    said to be unavailable."""
    t = TEXT[check_language(lang)]
    ci = (t["no_interval"] if low is None or high is None
          else t["interval"].format(low=number(low, 0, lang), high=number(high, 0, lang)))
    pv = "" if p is None else t["p"].format(p=number(p, 3, lang))
    if low is not None and high is not None and low <= 0 <= high:
        key, est = "no_change", number(estimate, 0, lang)
    elif low is None or high is None:
        key, est = "changed", number(estimate, 0, lang)
    else:
        key, est = ("rose" if estimate > 0 else "fell"), number(abs(estimate), 0, lang)
    verb, rest = t[key]
    return verb, rest.format(est=est, unit=unit, ci=ci, pv=pv)
