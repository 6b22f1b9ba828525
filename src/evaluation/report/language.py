"""The words of the report's first page in English and Danish (config ``report.language``).

One template: :class:`evaluation.report.document.Report` fills the same numbers into the phrases of the chosen
language.  The first page, the methods, the section on the business cycle, the investment section's text, the
glossary, every section heading,
table caption and table column name are in the chosen language; the running text of the later sections and the
figures with their captions are in English, and a Danish report says so.  Numbers follow the language's
conventions (Danish: decimal comma, thousands with a full stop), in the tables too.
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
                  "through {year} ({paid_ci}; + = more paid; specification <code>{spec}</code>, the yearly effects "
                  "are in the investment section), against {invested} mio. kr. invested: net {net} mio. kr. for the "
                  "public purse ({net_ci})."),
        "claims": (" The municipality's own account: {invested} mio. kr. invested and about {saved} mio. kr. saved "
                   "through {year}. The municipality does not publish how that figure was computed; by its own "
                   "director's account part of the gain came from the boom, which this estimate nets out. The "
                   "difference is not reconciled here."),
        "weeks": (" Weeks on public support per person: estimated change {change} against the target of {target} "
                  "({before} to {after})."),
        "rest_in_english": "",
        "composition_answer": ("Of the stock's estimate, {diff} hours a year is who left the stock for {cats}: "
                               "keeping them in it with their own hours, the same estimator gives {bound}: the "
                               "composition bound on the methods page."),
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
                  "mio. kr. til og med {year} ({paid_ci}; + = mere udbetalt; specifikation <code>{spec}</code>, de "
                  "årlige effekter står i afsnittet om investeringen), mod {invested} mio. kr. investeret: netto "
                  "{net} mio. kr. for de offentlige kasser ({net_ci})."),
        "claims": (" Kommunens egen opgørelse: {invested} mio. kr. investeret og omkring {saved} mio. kr. sparet til "
                   "og med {year}. Kommunen offentliggør ikke, hvordan tallet er beregnet; ifølge dens egen direktør "
                   "kom en del af gevinsten fra højkonjunkturen, som dette estimat korrigerer for. Forskellen er ikke "
                   "afstemt her."),
        "weeks": (" Uger på offentlig forsørgelse pr. person: estimeret ændring {change} mod målet {target} "
                  "({before} til {after})."),
        "composition_answer": ("Af bestandens estimat skyldes {diff} timer om året, hvem der forlod bestanden til "
                               "{cats}: beholdes de i den med deres egne timer, giver samme estimator {bound}: "
                               "sammensætningsgrænsen i metodeafsnittet."),
        "rest_in_english": ("<p id='language-note'><i>Metode, afsnittet om konjunkturerne, teksten om "
                            "investeringen, ordlisten, overskrifterne og tabellerne er på dansk; resten af rapporten "
                            "(den løbende tekst i de øvrige senere afsnit, figurerne og deres tekster) er på engelsk, "
                            "med de samme tal.</i></p>"),
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


METHODS = {
    "en": {
        "h": "Methods",
        "h_designs": "Two designs, two estimands",
        "designs": ("The <b>cohort</b> is everyone in the target group in {base}, followed as the same persons through "
                    "every year before and after: its effect is the reform's effect on those persons. Because they "
                    "were selected for being in the group in {base}, their hours dip towards that year and recover "
                    "afterwards with or without a reform (the naive before/after change is mostly that recovery). "
                    "The <b>stock</b> is everyone in the target group in each year: its members change from year to "
                    "year, and its effect is the reform's effect on the group's yearly mean, which includes the "
                    "reform moving people out of the group (into work, or on to other benefits such as "
                    "førtidspension). The two are never pooled into one range."),
        "composition": ("<b>How much of the stock's effect is who leaves it.</b> The reform can also move people with "
                        "no hours out of the group, on to {cats}, which raises the stock's yearly mean without "
                        "anyone working more. Keeping those who left the stock for {cats} since {base} in it, with "
                        "their own hours (specification {name}), the same estimator gives {bound}, against "
                        "{stock} for the stock itself{truth}. The difference, {diff} hours, is the part of the "
                        "stock's estimate that comes from who left it for {cats}, not from more work; the cohort "
                        "keeps every person it selected, so it has no such part."),
        "composition_truth": " (planted in these synthetic registers: {bound} and {stock})",
        "composition_unit": "hours",
        "h_comparison": "Comparison municipalities",
        "comparison": ("<b>all</b>: every other municipality with persons in the design; <b>region</b>: the other "
                       "municipalities of the treated municipality's region; <b>nearest</b>: the {ks} municipalities "
                       "closest to the treated one on the design's outcome in each pre-reform year, the mean "
                       "framework conditions (local unemployment, shares of unskilled, non-Western and industry "
                       "workers) and the change in local unemployment over the pre-reform years, each standardised, "
                       "by Euclidean distance. Synthetic control, synthetic DiD and the factor models use every "
                       "municipality with at least {k} persons (or the specification's <code>min_donor_persons</code>) "
                       "in every year and weight them themselves."),
        "or": " or ",
        "h_cycle": "Cycle-adjusted",
        "cycle": ("A specification is marked cycle-adjusted when it is built to net out the business cycle: with "
                  "the local unemployment rate as a covariate, or with a model in which the municipality's outcome "
                  "follows factors common to all municipalities with loadings of its own (interactive fixed effects, "
                  "matrix completion, synthetic control and synthetic DiD, municipality-specific slopes on the "
                  "national unemployment rate). Only these enter the headline's robustness range, and only with a "
                  "finite interval and no Monte Carlo flag."),
        "h_inference": "Inference with one treated municipality",
        "inference": ("With one treated municipality no standard error that relies on many treated clusters is "
                      "valid. Every interval here comes from placebos in space: each comparison municipality in turn "
                      "is treated as if it had reformed, and the treated municipality's estimate is compared with the "
                      "placebo estimates, after normalising each for its size (a small municipality's estimate is "
                      "noisier; Ferman and Pinto 2019): its own sampling variance from its persons (shrunk towards "
                      "the comparison municipalities' pooled one, since a municipality of a few persons says little "
                      "about its own spread), and the variance between municipalities estimated by maximum "
                      "likelihood. The interval collects the effects the test does not reject. With J comparison "
                      "municipalities the smallest p-value the test can reach is 1/(J+1): with fewer than 19 no 95 % "
                      "interval exists, and it is shown as unavailable. The procedure's size and coverage are checked "
                      "by simulation at 10, 20, 40 and 97 comparison municipalities (benchmarks/README.md)."),
        "attainable_columns": ["comparison municipalities", "smallest attainable p-value", "95 % interval possible"],
        "yes": "yes", "no": "no",
        "h_mechanism": "The mechanism",
        "caseloads": ("Cases per caseworker in the job centre by year (municipality register values): the reform's "
                      "instrument was the caseload. The grey band is the middle half of the other municipalities."),
        "h_glossary": "Glossary",
        "glossary_columns": ["term (Danish, code)", "meaning"],
        "h_net": "Net of the business cycle",
        "net_simple": ("The municipality evaluated rides the business cycle harder than most, and the years after the "
                       "reform were a boom. The simple adjustment compares it with other municipalities and adds the "
                       "local unemployment rate as a covariate. That nets out the cycle only if three things hold: the "
                       "rate moves job finding in every municipality by the same amount per percentage point, it acts "
                       "in the same year, and it is measured without error and is not itself moved by the reform. "
                       "None is safe here: a municipality's own sensitivity to the cycle shows in its job finding, "
                       "the effect of a boom on a group's employment builds up over years, and gross unemployment "
                       "includes the cash-benefit recipients the reform moves into work, so adjusting for it removes "
                       "part of the effect (a bad control)."),
        "net_factor": ("The factor models assume something else instead: that the municipality's untreated outcome "
                       "follows the same few common factors as the comparison municipalities' (the national cycle "
                       "among them), with loadings of its own that the reform did not change. The loadings are "
                       "estimated from the pre-reform years and carried forward. This needs pre-reform years in which "
                       "the cycle is visible: in the yearly stock it is; in the 2014 cohort the pre-reform years are "
                       "the dip in which the cohort was selected, so the cohort's factor estimates are reported but "
                       "not trusted."),
        "falsification": ("Falsification: the same designs on a pseudo-reform before the real one, using only the years "
                          "before the reform, where the true effect is zero. An estimate far from zero would show the "
                          "design picking up the cycle or a trend of its own."),
    },
    "da": {
        "h": "Metode",
        "h_designs": "To designs, to estimander",
        "designs": ("<b>Kohorten</b> er alle i målgruppen i {base}, fulgt som de samme personer gennem alle år før og "
                    "efter: dens effekt er reformens effekt på netop de personer. Fordi de er udvalgt ved at være i "
                    "gruppen i {base}, falder deres timer frem mod det år og stiger igen bagefter, med eller uden "
                    "reform (den naive før/efter-ændring er mest den genopretning). <b>Bestanden</b> er alle i "
                    "målgruppen i hvert år: dens medlemmer skifter fra år til år, og dens effekt er reformens effekt "
                    "på gruppens årlige gennemsnit, som også rummer, at reformen flytter folk ud af gruppen (i arbejde "
                    "eller over på andre ydelser som førtidspension). De to lægges aldrig sammen i ét interval."),
        "composition": ("<b>Hvor meget af bestandens effekt skyldes, hvem der forlader den.</b> Reformen kan også "
                        "flytte personer uden arbejdstimer ud af gruppen, over på {cats}, hvilket hæver bestandens "
                        "årlige gennemsnit, uden at nogen arbejder mere. Når de, der har forladt bestanden til {cats} "
                        "siden {base}, beholdes i den med deres egne timer (specifikation {name}), giver samme "
                        "estimator {bound} mod {stock} for selve bestanden{truth}. Forskellen, {diff} timer, er "
                        "den del af bestandens estimat, der skyldes, hvem der forlod den til {cats}, ikke mere arbejde; "
                        "kohorten beholder alle, den udvalgte, så den har ingen sådan del."),
        "composition_truth": " (plantet i disse syntetiske registre: {bound} og {stock})",
        "composition_unit": "timer",
        "h_comparison": "Sammenligningskommuner",
        "comparison": ("<b>all</b>: alle andre kommuner med personer i designet; <b>region</b>: de andre kommuner i "
                       "den behandlede kommunes region; <b>nearest</b>: de {ks} kommuner, der ligger tættest på den "
                       "behandlede kommune i designets udfald i hvert år før reformen, i de gennemsnitlige "
                       "rammevilkår (lokal ledighed, andele af ufaglærte, ikke-vestlige og industriansatte) og i "
                       "ændringen i den lokale ledighed i årene før reformen, hver for sig standardiseret, målt ved "
                       "euklidisk afstand. Syntetisk kontrol, syntetisk DiD og faktormodellerne bruger alle kommuner "
                       "med mindst {k} personer (eller specifikationens <code>min_donor_persons</code>) i alle år og "
                       "vægter dem selv."),
        "or": " eller ",
        "h_cycle": "Konjunkturkorrigeret",
        "cycle": ("En specifikation markeres som konjunkturkorrigeret, når den er bygget til at fjerne "
                  "konjunkturerne: med den lokale ledighed som kovariat eller med en model, hvor kommunens udfald "
                  "følger faktorer, der er fælles for alle kommuner, med kommunens egne ladninger (interaktive faste "
                  "effekter, matrix completion, syntetisk kontrol og syntetisk DiD, kommunespecifikke hældninger på "
                  "den nationale ledighed). Kun de indgår i overskriftens robusthedsinterval, og kun med et endeligt "
                  "interval og uden markering fra Monte Carlo-simuleringen."),
        "h_inference": "Usikkerhed med én behandlet kommune",
        "inference": ("Med én behandlet kommune er ingen standardfejl, der forudsætter mange behandlede klynger, "
                      "gyldig. Alle intervaller her kommer fra placebo i rum: hver sammenligningskommune behandles på "
                      "skift, som om den havde indført reformen, og den behandlede kommunes estimat sammenlignes med "
                      "placeboestimaterne, efter at hvert er normeret for kommunens størrelse (en lille kommunes "
                      "estimat er mere støjfyldt; Ferman og Pinto 2019): dens egen stikprøvevarians fra dens personer "
                      "(trukket mod sammenligningskommunernes fælles varians, fordi en kommune med få personer siger "
                      "lidt om sin egen spredning) og variansen mellem kommuner estimeret ved maximum likelihood. "
                      "Intervallet samler de effekter, testen ikke forkaster. Med J sammenligningskommuner er den "
                      "mindste p-værdi, testen kan nå, 1/(J+1): med færre end 19 findes intet 95 %-interval, og det "
                      "vises som utilgængeligt. Procedurens niveau og dækningsgrad er efterprøvet ved simulation med "
                      "10, 20, 40 og 97 sammenligningskommuner (benchmarks/README.md)."),
        "attainable_columns": ["sammenligningskommuner", "mindste opnåelige p-værdi", "95 %-interval muligt"],
        "yes": "ja", "no": "nej",
        "h_mechanism": "Mekanismen",
        "caseloads": ("Sager pr. sagsbehandler i jobcenteret efter år (kommunens registerværdier): reformens "
                      "virkemiddel var sagsstammen. Det grå bånd er den midterste halvdel af de andre kommuner."),
        "h_glossary": "Ordliste",
        "glossary_columns": ["begreb (engelsk, kode)", "betydning"],
        "h_net": "Korrigeret for konjunkturerne",
        "net_simple": ("Den evaluerede kommune svinger mere med konjunkturerne end de fleste, og årene efter reformen "
                       "var en højkonjunktur. Den simple korrektion sammenligner kommunen med andre kommuner og "
                       "tilføjer den lokale ledighed som kovariat. Det fjerner kun konjunkturerne, hvis tre ting "
                       "holder: ledigheden påvirker jobchancerne lige meget pr. procentpoint i alle kommuner, den "
                       "virker samme år, og den er målt uden fejl og ikke selv påvirket af reformen. Ingen af dem er "
                       "sikre her: en kommunes egen følsomhed over for konjunkturerne viser sig i dens jobchancer, en "
                       "højkonjunkturs virkning på en gruppes beskæftigelse opbygges over flere år, og bruttoledigheden "
                       "rummer netop de kontanthjælpsmodtagere, reformen flytter i arbejde, så en korrektion for den "
                       "fjerner en del af effekten (en dårlig kontrolvariabel)."),
        "net_factor": ("Faktormodellerne antager i stedet noget andet: at kommunens udfald uden reform følger de samme "
                       "få fælles faktorer som sammenligningskommunernes (den nationale konjunktur blandt dem), med "
                       "kommunens egne ladninger, som reformen ikke ændrede. Ladningerne estimeres fra årene før "
                       "reformen og føres frem. Det kræver år før reformen, hvor konjunkturerne kan ses: i den årlige "
                       "bestand kan de; i 2014-kohorten er årene før reformen det dyk, kohorten blev udvalgt i, så "
                       "kohortens faktorestimater vises, men tillægges ikke vægt."),
        "falsification": ("Falsifikation: de samme designs på en pseudoreform før den rigtige, kun med årene før "
                          "reformen, hvor den sande effekt er nul. Et estimat langt fra nul ville vise, at designet "
                          "opfanger konjunkturerne eller en egen trend."),
    },
}

GLOSSARY = {
    "en": [
        ("activity-ready cash-benefit recipient (aktivitetsparat kontanthjælpsmodtager; kh_aktivitetsparat)",
         "a recipient of cash benefit whom the job centre judges not ready to take a job within three months; the "
         "reform's target group"),
        ("job-ready (jobparat)", "a cash-benefit recipient judged ready to take a job within three months"),
        ("cash benefit (kontanthjælp)", "the means-tested benefit of last resort, paid by the municipality"),
        ("disability pension (førtidspension)", "a permanent benefit for persons whose capacity for work is "
                                                 "lastingly reduced"),
        ("sickness benefit (sygedagpenge)", "a benefit while ill from a job or from unemployment insurance"),
        ("job centre (jobcenter)", "the municipality's employment service; its caseworkers follow the recipients"),
        ("caseload (sagsstamme)", "cases per caseworker; the Hjørring model cut it from 70-80 to 35-40"),
        ("DREAM", "the register of public transfer payments: one benefit code per person and week"),
        ("eIndkomst", "the income register: employers' monthly reports of pay and paid hours per person"),
        ("gross unemployment (bruttoledighed; ledighed_pct)", "unemployed persons, including those in activation, "
                                                              "as a share of the labour force, per municipality and "
                                                              "year"),
        ("weeks on public support (uger på offentlig forsørgelse)", "weeks in a year with a benefit counted as "
                                                                    "public support in the code table"),
        ("cohort", "everyone in the target group in the baseline year, followed as the same persons"),
        ("stock", "everyone in the target group in each year: its members change from year to year"),
        ("cycle-adjusted", "a specification built to net out the business cycle (see Methods)"),
        ("placebo in space", "each comparison municipality treated in turn as if it had reformed: the "
                             "distribution the treated municipality's estimate is compared with"),
        ("full-time job", "{fte} hours a year (37 hours for 52 weeks)"),
        ("RMSPE", "root mean squared prediction error: how far a synthetic control's path lies from the "
                  "municipality's own"),
    ],
    "da": [
        ("aktivitetsparat kontanthjælpsmodtager (activity-ready cash-benefit recipient; kh_aktivitetsparat)",
         "en modtager af kontanthjælp, som jobcenteret vurderer ikke kan påtage sig et job inden for tre måneder; "
         "reformens målgruppe"),
        ("jobparat (job-ready)", "en kontanthjælpsmodtager, der vurderes at kunne påtage sig et job inden for tre "
                                 "måneder"),
        ("kontanthjælp (cash benefit)", "den behovsprøvede ydelse, der er det sidste sikkerhedsnet, udbetalt af "
                                        "kommunen"),
        ("førtidspension (disability pension)", "en varig ydelse til personer, hvis arbejdsevne er varigt nedsat"),
        ("sygedagpenge (sickness benefit)", "en ydelse under sygdom fra et job eller fra arbejdsløshedsforsikringen"),
        ("jobcenter (job centre)", "kommunens beskæftigelsesindsats; dens sagsbehandlere følger borgerne"),
        ("sagsstamme (caseload)", "sager pr. sagsbehandler; Hjørring-modellen sænkede den fra 70-80 til 35-40"),
        ("DREAM", "registeret over offentlige overførselsindkomster: én ydelseskode pr. person og uge"),
        ("eIndkomst", "indkomstregisteret: arbejdsgivernes månedlige indberetninger af løn og betalte timer pr. "
                      "person"),
        ("bruttoledighed (gross unemployment; ledighed_pct)", "ledige, inklusive aktiverede, som andel af "
                                                              "arbejdsstyrken, pr. kommune og år"),
        ("uger på offentlig forsørgelse (weeks on public support)", "uger i et år med en ydelse, der tæller som "
                                                                    "offentlig forsørgelse i kodetabellen"),
        ("kohorte (cohort)", "alle i målgruppen i basisåret, fulgt som de samme personer"),
        ("bestand (stock)", "alle i målgruppen i hvert år: medlemmerne skifter fra år til år"),
        ("konjunkturkorrigeret (cycle-adjusted)", "en specifikation bygget til at fjerne konjunkturerne (se Metode)"),
        ("placebo i rum (placebo in space)", "hver sammenligningskommune behandlet på skift, som om den havde "
                                             "indført reformen: den fordeling, den behandlede kommunes estimat "
                                             "sammenlignes med"),
        ("fuldtidsjob (full-time job)", "{fte} timer om året (37 timer i 52 uger)"),
        ("RMSPE", "kvadratroden af den gennemsnitlige kvadrerede forudsigelsesfejl: hvor langt en syntetisk "
                  "kontrols forløb ligger fra kommunens eget"),
    ],
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


SPEC_WORDS = {
    "en": dict(estimator={"naive": "before/after", "did": "DiD", "matched_did": "matched DiD",
                          "synthetic_control": "synthetic control", "synthetic_did": "synthetic DiD",
                          "interactive_fe": "interactive fixed effects", "cycle_slopes": "cycle slopes",
                          "matrix_completion": "matrix completion", "triple_did": "triple DiD"},
               design={"cohort": "{year} cohort", "stock": "yearly stock"},
               comparison={"all": "all municipalities", "nearest": "{k} nearest municipalities",
                           "region": "same region"},
               unemployment="local unemployment", demean="demeaned",
               anticipation="{n} year(s) before the reform left out",
               placebo="pseudo-reform {year}", reference="reference: {cats}",
               kept="leavers to {cats} kept"),
    "da": dict(estimator={"naive": "før/efter", "did": "DiD", "matched_did": "matchet DiD",
                          "synthetic_control": "syntetisk kontrol", "synthetic_did": "syntetisk DiD",
                          "interactive_fe": "interaktive faste effekter", "cycle_slopes": "konjunkturhældninger",
                          "matrix_completion": "matrix completion", "triple_did": "tredobbelt DiD"},
               design={"cohort": "{year}-kohorte", "stock": "årlig bestand"},
               comparison={"all": "alle kommuner", "nearest": "{k} nærmeste kommuner", "region": "samme region"},
               unemployment="lokal ledighed", demean="niveaukorrigeret", anticipation="{n} år før reformen udeladt",
               placebo="pseudo-reform {year}", reference="reference: {cats}",
               kept="afgang til {cats} beholdt"),
}


def specification_label(spec: dict, lang: str = "en", baseline_year: int = 2014) -> str:
    """A specification in words, from its config entry: estimator, target group, comparison municipalities,
    covariates and what else sets it apart, e.g. 'DiD, 2014 cohort, 20 nearest municipalities, local
    unemployment'.  The identifier stays the key; this is what a reader sees beside it."""
    w = SPEC_WORDS[check_language(lang)]
    est = spec.get("estimator", "")
    parts = [w["estimator"].get(est, str(est))]
    design = spec.get("design", "")
    year = int(spec.get("cohort_year") or baseline_year)
    parts.append(w["design"].get(design, str(design)).format(year=year))
    if est != "naive":
        comp = str(spec.get("comparison", "all"))
        parts.append(w["comparison"].get(comp, comp).format(k=int(spec.get("nearest_k", 20))))
    covs = spec.get("covariates") or []
    covs = [covs] if isinstance(covs, str) else list(covs)
    if "ledighed_pct" in covs:
        parts.append(w["unemployment"])
    parts += [c for c in covs if c != "ledighed_pct"]
    if spec.get("demean"):
        parts.append(w["demean"])
    if spec.get("reference_categories"):
        parts.append(w["reference"].format(cats=", ".join(spec["reference_categories"])))
    if spec.get("keep_leavers_to"):
        parts.append(w["kept"].format(cats=", ".join(spec["keep_leavers_to"])))
    if spec.get("anticipation"):
        parts.append(w["anticipation"].format(n=int(spec["anticipation"])))
    if spec.get("placebo_reform_year"):
        parts.append(w["placebo"].format(year=int(spec["placebo_reform_year"])))
    return ", ".join(parts)


# The report after its first page: section headings and table captions by their English text (the key, so the
# English report reads as written in evaluation.report.document), table column names by their English name
# (underscores as spaces).  Words without a Danish entry stay English.
# the investment section's running text (Report.investment), in both languages with the same numbers
INVESTMENT = {
    "en": {
        "summary": ("Invested {invested} mio. kr. in {inv_years}; the change in benefit payments through {year} "
                    "from the estimated change in weeks on each benefit: <b>{paid} mio. kr.</b> (+ = more paid; "
                    "{design} design, specification <code>{spec}</code>)."),
        "be": " Cumulative savings reach the cumulative investment in <b>{be}</b>.",
        "no_be": (" Cumulative savings do <b>not</b> reach the cumulative investment by {year} (net {net} mio. "
                  "kr.)."),
        "planted": " Planted truth of the change in payments: {planted} mio. kr.",
        "claims": (" Beside it, the municipality's own account: {invested} mio. kr. invested and about {saved} mio. "
                   "kr. saved through {year}."),
        "total": (" The yearly intervals cannot be added, so the total is also estimated as one (the yearly effects "
                  "combined in one event study, each year's payments at that year's rates, weighted by its treated "
                  "persons): <b>{paid} mio. kr.</b> ({ci}; the yearly effects sum to {yearly}, the difference is "
                  "the covariate adjustment of two regressions), net {net} mio. kr. for the public purse ({net_ci}). "
                  "Page 1 states this total."),
        "ci": "95% interval {low} to {high}",
        "no_ci": "no 95% interval",
        "design": {"cohort": "cohort", "stock": "stock"},
    },
    "da": {
        "summary": ("Investeret {invested} mio. kr. i {inv_years}; ændringen i ydelsesudbetalingerne til og med "
                    "{year} ud fra den estimerede ændring i uger på hver ydelse: <b>{paid} mio. kr.</b> (+ = mere "
                    "udbetalt; {design}design, specifikation <code>{spec}</code>)."),
        "be": " De akkumulerede besparelser når den akkumulerede investering i <b>{be}</b>.",
        "no_be": (" De akkumulerede besparelser når <b>ikke</b> den akkumulerede investering til og med {year} "
                  "(netto {net} mio. kr.)."),
        "planted": " Indplantet sandhed for ændringen i udbetalingerne: {planted} mio. kr.",
        "claims": (" Ved siden af: kommunens egen opgørelse, {invested} mio. kr. investeret og omkring {saved} mio. "
                   "kr. sparet til og med {year}."),
        "total": (" De årlige intervaller kan ikke lægges sammen, så summen estimeres også som ét tal (de årlige "
                  "effekter samlet i ét eventstudie, hvert års udbetalinger til det års satser, vægtet med årets "
                  "behandlede personer): <b>{paid} mio. kr.</b> ({ci}; de årlige effekter summerer til {yearly}, "
                  "forskellen er kovariatjusteringen i to regressioner), netto {net} mio. kr. for de offentlige kasser "
                  "({net_ci}). Side 1 angiver denne sum."),
        "ci": "95 %-interval {low} til {high}",
        "no_ci": "intet 95 %-interval",
        "design": {"cohort": "kohorte", "stock": "bestands"},
    },
}

HEADINGS = {"da": {
    "The headline as computed (results/headline.json)": "Overskriften som beregnet (results/headline.json)",
    "All specifications (yearly hours)": "Alle specifikationer (årlige timer)",
    "How much of the raw change is business cycle": "Hvor meget af den rå ændring er konjunktur",
    "Specification curve": "Specifikationskurve",
    "Synthetic control (yearly stock, hours)": "Syntetisk kontrol (årlig bestand, timer)",
    "Event study (cohort, local unemployment as covariate)": "Eventstudie (kohorte, lokal ledighed som kovariat)",
    "Event study (stock, local unemployment as covariate)": "Eventstudie (bestand, lokal ledighed som kovariat)",
    "How the design performs when the truth is known (Monte Carlo)":
        "Hvordan designet klarer sig, når sandheden er kendt (Monte Carlo)",
    "The first estimate": "Det første estimat",
    "The outcome over time": "Udfaldet over tid",
    "Other outcomes": "Andre udfald",
    "The investment case": "Investeringen",
    "Calibration of the registers": "Kalibrering af registrene",
    "Planted effect by year": "Indplantet effekt efter år",
    "Balance before the reform": "Balance før reformen",
    "Data provenance and disclosure control": "Datagrundlag og diskretionering",
    "Sample flow": "Populationsafgrænsning",
    "Software": "Software",
    "Configuration": "Konfiguration",
}}

CAPTIONS = {"da": {
    "Average post-reform effect: 95 % interval allowing post-period steps of the bias up to Mbar times the largest "
    "pre-period step": "Gennemsnitlig effekt efter reformen: 95 %-interval, når biasens skridt efter reformen må være "
                       "op til Mbar gange det største skridt før reformen",
    "Monte Carlo by arm and specification (yearly hours)": "Monte Carlo efter arm og specifikation (årlige timer)",
    "Cycle-adjusted estimates for every outcome (hours per year; weeks on public support per year; employment and "
    "stable employment as shares)": "Konjunkturkorrigerede estimater for alle udfald (timer pr. år; uger på "
                                    "offentlig forsørgelse pr. år; beskæftigelse og stabil beskæftigelse som andele)",
    "Planted truth for the same specifications": "Indplantet sandhed for de samme specifikationer",
    "Time on public support: the municipality's target against the estimate":
        "Tid på offentlig forsørgelse: kommunens mål mod estimatet",
    "Investment and the change in benefit payments by year, mio. kr. (+ = more paid; net: payments saved minus "
    "investment, cumulated, negative = a net cost; the payments effect in kr. per treated person and year)":
        "Investering og ændringen i ydelsesudbetalingerne efter år, mio. kr. (+ = mere udbetalt; netto: sparede "
        "udbetalinger minus investering, akkumuleret, negativ = en nettoudgift; effekten på udbetalingerne i kr. pr. "
        "behandlet person og år)",
    "The investment by category ({source})": "Investeringen efter kategori ({source})",
    "Change in weeks per treated person over the years after the reform and in payments (mio. kr.), by benefit (+ = "
    "more weeks, more paid)": "Ændring i uger pr. behandlet person i årene efter reformen og i udbetalinger (mio. "
                              "kr.), efter ydelse (+ = flere uger, mere udbetalt)",
    "Benefit rates used, DKK per week": "Anvendte ydelsessatser, kr. pr. uge",
    "Sources of the benefit rates": "Kilder til ydelsessatserne",
    "Target group by year (yearly stock)": "Målgruppen efter år (årlig bestand)",
    "Planted ATT on yearly {outcome}, by design": "Indplantet ATT på årlige {outcome}, efter design",
    "The cohort in {year}: treated municipality against all comparison municipalities":
        "Kohorten i {year}: behandlet kommune mod alle sammenligningskommuner",
    "Standardised mean differences (over the pooled standard deviation before matching), specification {name}":
        "Standardiserede gennemsnitsforskelle (over den fælles standardafvigelse før matching), specifikation {name}",
}}

COLUMNS = {"da": {
    "after / with the reform": "efter / med reformen", "all baseline hours": "timer, alle kommuner",
    "before / without the reform": "før / uden reformen", "bias se": "bias, SE", "category": "kategori",
    "change (weeks)": "ændring (uger)",
    "cluster-robust SE (not valid with one treated municipality)":
        "klyngerobust standardfejl (ikke gyldig med én behandlet kommune)",
    "cohort": "kohorte", "comparison": "sammenligning", "comparison mean": "gennemsnit, sammenligning",
    "comparison units": "sammenligningsenheder", "conf high": "øvre grænse", "conf low": "nedre grænse",
    "covariate": "kovariat", "covariate effect": "effekt, kovariat", "coverage": "dækning",
    "coverage se": "dækning, SE", "cycle adjusted": "konjunkturkorrigeret",
    "description": "beskrivelse", "employed": "i beskæftigelse", "estimate": "estimat",
    "factor effect": "effekt, faktormodel", "factor high": "faktormodel, øvre grænse",
    "factor low": "faktormodel, nedre grænse", "factor p value": "faktormodel, p-værdi", "failed": "fejlet",
    "flag": "markering", "flagged": "markeret", "hours": "timer", "inference": "inferens", "invested": "investeret",
    "invested, cumulative": "investeret, akkumuleret", "matched comparison mean": "gennemsnit, matchet sammenligning",
    "mean estimate": "gns. estimat", "mean truth": "gns. sandhed", "method": "metode",
    "n persons": "personer", "n treated persons": "behandlede personer",
    "naive before/after change": "naiv før/efter-ændring", "national stock": "national bestand",
    "national unemployment": "national ledighed", "net": "netto", "no interval": "intet interval",
    "p value": "p-værdi", "payments effect per person (kr.)": "effekt på udbetalinger pr. person (kr.)",
    "persons": "personer", "persons dropped": "personer fjernet", "planted truth": "indplantet sandhed",
    "planted weeks saved per person": "indplantede sparede uger pr. person", "priced": "prissat",
    "rejection": "forkastet", "rejection se": "forkastet, SE", "replications": "replikationer",
    "rmse": "RMSE", "rows": "rækker", "rows dropped": "rækker fjernet", "saved": "sparet",
    "saved mio": "sparet, mio.", "saved, 95% interval": "sparet, 95 %-interval",
    "saved, cumulative": "sparet, akkumuleret", "saved, planted truth": "sparet, indplantet sandhed",
    "sd": "sd", "setting": "indstilling", "smd after": "SMD efter", "smd before": "SMD før",
    "source": "kilde", "specification": "specifikation", "stable employed": "stabilt beskæftiget",
    "standardised difference": "standardiseret forskel", "step": "trin", "stock": "bestand",
    "suppressed": "undertrykt", "treated": "behandlet", "treated baseline hours": "timer, behandlet kommune",
    "treated fp grants all": "førtidspensioner tilkendt i alt, behandlet kommune",
    "treated fp grants from target": "førtidspensioner tilkendt fra målgruppen, behandlet kommune",
    "treated mean": "gennemsnit, behandlet", "treated share zero hours": "andel uden timer, behandlet kommune",
    "treated stock": "bestand, behandlet kommune", "treated unemployment": "ledighed, behandlet kommune",
    "truth": "sandhed", "unit": "enhed", "value": "værdi", "variable": "variabel",
    "weeks public support": "uger på offentlig forsørgelse", "weeks saved per person": "sparede uger pr. person",
    "what it is": "hvad den er", "year": "år",
    "change in payments": "ændring i udbetalinger",
    "change in payments, 95% interval": "ændring i udbetalinger, 95 %-interval",
    "change in payments, cumulative": "ændring i udbetalinger, akkumuleret",
    "change in payments, planted truth": "ændring i udbetalinger, indplantet sandhed",
    "net, cumulative": "netto, akkumuleret", "weeks per person": "uger pr. person",
    "weeks per person, planted truth": "uger pr. person, indplantet sandhed",
}}


def heading(text: str, lang: str = "en") -> str:
    """A section heading of the report in ``lang`` (its English text when there is no translation)."""
    return HEADINGS.get(check_language(lang), {}).get(text, text)


def caption(template: str, lang: str = "en", **fields) -> str:
    """A table caption in ``lang``: its English ``template`` (the key) or the translation, filled with
    ``fields``."""
    return CAPTIONS.get(check_language(lang), {}).get(template, template).format(**fields)
