"""The words of the report in English and Danish (config ``report.language``).

One template: :class:`evaluation.report.document.Report` fills the same numbers into the phrases of the chosen
language.  Every part of the report is in the chosen language: the first page, the methods, the glossary, the
headings, the running text of the later sections (PROSE), the figures' axes and legends (FIGURE_WORDS), table
captions and column names.  What the pipeline writes as data stays as written and is marked ``lang='en'``: the
sentences of results/headline.json, the estimators' notes and inference labels, the sample flow's steps.
Numbers follow the language's conventions (Danish: decimal comma, thousands with a full stop), in the tables too.
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
        "factors_none": (" Cross-validation over the pre-reform years chose no common factor: the estimate is a "
                         "difference in differences of the yearly means, which nets out the cycle only as far as the "
                         "comparison municipalities share it; a stronger response of the municipality's own stays in "
                         "it."),
        "factors_cv": (" Cross-validation over the pre-reform years chose {n} common factor(s), the municipality's "
                       "loadings on them estimated from those years."),
        "factors_set": " The specification sets {n} common factor(s); the municipality's loadings are estimated "
                       "from the pre-reform years.",
        "excess_both": (" How much harder would the municipality have to have ridden the cycle for this to be the "
                        "boom? For the interval to reach zero, its yearly stock would have had to change {ci} times as "
                        "much as the comparison municipalities' from before the reform to after it; for the estimate "
                        "to be zero, {est} times."),
        "excess_est": (" How much harder would the municipality have to have ridden the cycle for this to be the "
                       "boom? For the estimate to be zero, its yearly stock would have had to change {est} times as "
                       "much as the comparison municipalities' from before the reform to after it."),
        "excess_implied": (" The model's own counterfactual, with its factors and covariates, already has the yearly "
                           "stock change {implied} times as much as theirs."),
        "excess_none": (" The comparison municipalities' yearly stock did not gain from before the reform to after "
                        "it, so a harder ride on the cycle would raise this estimate, not explain it away."),
        "excess_bench": (" Before the reform its unemployment rate moved {bench} times as much with the national rate "
                         "as theirs; at that ratio the estimate is {est} hours ({ci})."),
        "excess_caveat": (" These ratios count the whole of the comparison municipalities' change ({change} hours) as "
                          "the cycle, so they put the cycle's part at its largest."),
        "robustness": ("Robustness: the design's {k} other cycle-adjusted specifications with a finite interval range "
                       "from {low} to {high} hours ({sig} significant at 5 %)."),
        "robustness_one": ("Robustness: the design's one other cycle-adjusted specification with a finite interval "
                           "gives {low} hours ({sig} at 5 %)."),
        "significant": {True: "significant", False: "not significant"},
        "published": "Published: +{low} to +{high} hours{from_base} ({source}); {relation}.",
        "from_base": " from about {base}",
        "relation": {"inside": "inside our interval", "overlap": "overlapping our interval",
                     "outside": "outside our interval", "none": "beside an estimate without an interval"},
        "no_claim": "For {group} no estimate is stated as net of the business cycle. {reason}",
        "kept_out": ("<b>Answer ({design}).</b> For {group} no estimate is stated as net of the business cycle: the "
                     "preferred specification, <code>{spec}</code>, is flagged by its Monte Carlo ({flags}; the "
                     "Monte Carlo section). Its estimate, {est} hours per person per year ({ci}), is in the "
                     "specifications table; it is not a finding."),
        "money": ("<b>Money.</b> Priced at the benefit rates, the reform changed benefit payments by {paid} mio. kr. "
                  "through {year} ({paid_ci}; + = more paid; specification <code>{spec}</code>, the yearly effects "
                  "are in the investment section), against {invested} mio. kr. invested: net {net} mio. kr. for the "
                  "public purse ({net_ci})."),
        "claims": (" The municipality's own account: {invested} mio. kr. invested and about {saved} mio. kr. saved "
                   "through {year}. The municipality does not publish how that figure was computed; by its own "
                   "director's account part of the gain came from the boom, which this estimate is meant to net "
                   "out, as far as its specification can (methods page). The difference is not reconciled here."),
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
        "factors_none": (" Krydsvalideringen over årene før reformen valgte ingen fælles faktor: estimatet er en "
                         "forskel i forskelle af de årlige gennemsnit, som kun renser konjunkturerne ud i det omfang, "
                         "sammenligningskommunerne deler dem; en stærkere reaktion i kommunen selv bliver i det."),
        "factors_cv": (" Krydsvalideringen over årene før reformen valgte {n} fælles faktor(er); kommunens ladninger "
                       "på dem er estimeret fra de år."),
        "factors_set": " Specifikationen fastsætter {n} fælles faktor(er); kommunens ladninger er estimeret fra årene "
                       "før reformen.",
        "excess_both": (" Hvor meget hårdere skulle kommunen have svunget med konjunkturerne, for at dette var "
                        "opsvinget? For at intervallet når nul, skulle dens årlige bestand have ændret sig {ci} gange så "
                        "meget som sammenligningskommunernes fra før reformen til efter; for at estimatet er nul, {est} "
                        "gange."),
        "excess_est": (" Hvor meget hårdere skulle kommunen have svunget med konjunkturerne, for at dette var "
                       "opsvinget? For at estimatet er nul, skulle dens årlige bestand have ændret sig {est} gange så "
                       "meget som sammenligningskommunernes fra før reformen til efter."),
        "excess_implied": (" Modellens egen kontrafaktiske udvikling, med dens faktorer og kovariater, lader allerede "
                           "den årlige bestand ændre sig {implied} gange så meget som deres."),
        "excess_none": (" Sammenligningskommunernes årlige bestand steg ikke fra før reformen til efter, så et hårdere "
                        "sving med konjunkturerne ville hæve estimatet, ikke forklare det væk."),
        "excess_bench": (" Før reformen bevægede dens ledighed sig {bench} gange så meget med landets som deres; ved "
                         "det forhold er estimatet {est} timer ({ci})."),
        "excess_caveat": (" Forholdene regner hele sammenligningskommunernes ændring ({change} timer) som "
                          "konjunktur og sætter derfor konjunkturens andel højest muligt."),
        "robustness": ("Robusthed: designets {k} andre konjunkturkorrigerede specifikationer med et endeligt interval "
                       "ligger mellem {low} og {high} timer ({sig} signifikant{plural} på 5 %-niveau)."),
        "robustness_one": ("Robusthed: designets ene anden konjunkturkorrigerede specifikation med et endeligt interval "
                           "giver {low} timer ({sig} på 5 %-niveau)."),
        "significant": {True: "signifikant", False: "ikke signifikant"},
        "published": "Offentliggjort: +{low} til +{high} timer{from_base} ({source}); {relation}.",
        "from_base": " fra omkring {base}",
        "relation": {"inside": "inden for vores interval", "overlap": "overlapper vores interval",
                     "outside": "uden for vores interval", "none": "ved siden af et estimat uden interval"},
        "no_claim": "For {group} angives intet estimat som korrigeret for konjunkturerne. {reason}",
        "kept_out": ("<b>Svar ({design}).</b> For {group} angives intet estimat som korrigeret for konjunkturerne: "
                     "den foretrukne specifikation, <code>{spec}</code>, er markeret af sit Monte Carlo-studie "
                     "({flags}; afsnittet om Monte Carlo). Dens estimat, {est} timer pr. person pr. år ({ci}), står "
                     "i specifikationstabellen; det er ikke et resultat."),
        "money": ("<b>Økonomi.</b> Prissat med ydelsessatserne ændrede reformen udbetalingerne af ydelser med {paid} "
                  "mio. kr. til og med {year} ({paid_ci}; + = mere udbetalt; specifikation <code>{spec}</code>, de "
                  "årlige effekter står i afsnittet om investeringen), mod {invested} mio. kr. investeret: netto "
                  "{net} mio. kr. for de offentlige kasser ({net_ci})."),
        "claims": (" Kommunens egen opgørelse: {invested} mio. kr. investeret og omkring {saved} mio. kr. sparet til "
                   "og med {year}. Kommunen offentliggør ikke, hvordan tallet er beregnet; ifølge dens egen direktør "
                   "kom en del af gevinsten fra højkonjunkturen, som dette estimat skal korrigere for, så vidt dets "
                   "specifikation kan (metodesiden). Forskellen er ikke afstemt her."),
        "weeks": (" Uger på offentlig forsørgelse pr. person: estimeret ændring {change} mod målet {target} "
                  "({before} til {after})."),
        "composition_answer": ("Af bestandens estimat skyldes {diff} timer om året, hvem der forlod bestanden til "
                               "{cats}: beholdes de i den med deres egne timer, giver samme estimator {bound}: "
                               "sammensætningsgrænsen i metodeafsnittet."),
        "rest_in_english": ("<p id='language-note'><i>Hele rapporten er på dansk med de samme tal som den "
                            "engelske. Det, som pipelinen skriver som data, står på engelsk: sætningerne i "
                            "results/headline.json, estimatorernes noter og inferensbetegnelser og trinene i "
                            "populationsafgrænsningen.</i></p>"),
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
                      "likelihood. Synthetic control and synthetic DiD fit each unit's own pre-reform noise, so a "
                      "small municipality's placebo varies more than its sampling variance says; for them that "
                      "variance is scaled by a factor estimated from the placebos as well. "
                      "The interval collects the effects the test does not reject. With J comparison "
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
                       "the cycle is visible. In the yearly stock it is only faintly: national unemployment barely "
                       "moved in 2010-2013 and fell in 2014, and the number of factors is chosen by cross-validation, "
                       "which may choose none (the estimate is then a difference in differences of the yearly mean). "
                       "A municipality's stronger response to the boom after 2014 is then not netted out "
                       "(benchmarks/README.md). In the 2014 cohort the pre-reform years are the dip in which the "
                       "cohort was selected, so the cohort's factor estimates are reported but not trusted."),
        "excess_cycle": ("How much harder would the municipality have to have ridden the cycle for the stock's "
                         "estimate to be the boom? The table gives the estimate if the municipality's untreated yearly "
                         "stock had changed from before the reform to after it by the ratio times the comparison "
                         "municipalities' change, rather than by the change the model projects (ratio 1): the "
                         "estimate minus (ratio - 1) times that change, its interval moved by as much and widened for "
                         "the change's own sampling error. The breakdown rows are the ratios at which the estimate, "
                         "and the lower end of its interval, reach zero; the benchmark row is the ratio by which the "
                         "municipality's unemployment rate moved more with the national rate than theirs before the "
                         "reform. The whole of the comparison municipalities' change counts as the cycle here, though "
                         "part of it is composition and trend, so the ratios put the cycle's part at its largest: in "
                         "worlds that differ only in the municipality's cycle elasticity, doubling it moved the "
                         "difference in differences by about half of what this table assumes (benchmarks/README.md). "
                         "Not for the cohort: its comparison change is mostly the recovery from the dip in which it "
                         "was selected."),
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
                      "Syntetisk kontrol og syntetisk DiD tilpasser sig hver enheds egen støj før reformen, så en "
                      "lille kommunes placebo varierer mere, end dens stikprøvevarians siger; for dem skaleres den "
                      "varians med en faktor, der også estimeres fra placeboerne. "
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
                       "reformen og føres frem. Det kræver år før reformen, hvor konjunkturerne kan ses. I den årlige "
                       "bestand ses de kun svagt: landets ledighed ændrede sig næppe i 2010-2013 og faldt i 2014, og "
                       "antallet af faktorer vælges ved krydsvalidering, som kan vælge ingen (estimatet er så en "
                       "forskel i forskelle af det årlige gennemsnit). En kommunes stærkere reaktion på opsvinget "
                       "efter 2014 bliver da ikke renset ud (benchmarks/README.md). I 2014-kohorten er årene før "
                       "reformen det dyk, kohorten blev udvalgt i, så kohortens faktorestimater vises, men tillægges "
                       "ikke vægt."),
        "excess_cycle": ("Hvor meget hårdere skulle kommunen have svunget med konjunkturerne, for at bestandens "
                         "estimat var opsvinget? Tabellen viser estimatet, hvis kommunens årlige bestand uden reform "
                         "havde ændret sig fra før reformen til efter med forholdet gange sammenligningskommunernes "
                         "ændring i stedet for den ændring, modellen fremskriver (forhold 1): estimatet minus "
                         "(forholdet - 1) gange den ændring, intervallet flyttet lige så meget og gjort bredere for "
                         "ændringens egen stikprøveusikkerhed. Nedbrudsrækkerne er de forhold, hvor estimatet og "
                         "intervallets nedre grænse når nul; benchmarkrækken er det forhold, hvormed kommunens ledighed "
                         "bevægede sig mere med landets end deres før reformen. Hele sammenligningskommunernes ændring "
                         "regnes her som konjunktur, selv om en del af den er sammensætning og trend, så forholdene "
                         "sætter konjunkturens andel højest muligt: i verdener, der kun adskiller sig ved kommunens "
                         "konjunkturelasticitet, flyttede en fordobling forskel-i-forskelle-estimatet omkring det halve "
                         "af, hvad tabellen antager (benchmarks/README.md). Ikke for kohorten: dens "
                         "sammenligningsændring er mest genopretningen fra det dyk, den blev udvalgt i."),
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
    "factor effect": "effekt, faktormodel", "factors": "faktorer", "factor high": "faktormodel, øvre grænse",
    "factor low": "faktormodel, nedre grænse", "factor p value": "faktormodel, p-værdi", "failed": "fejlet",
    "flag": "markering", "flagged": "markeret", "hours": "timer", "inference": "inferens", "invested": "investeret",
    "invested, cumulative": "investeret, akkumuleret", "matched comparison mean": "gennemsnit, matchet sammenligning",
    "mean estimate": "gns. estimat", "mean factors": "gns. faktorer", "mean truth": "gns. sandhed",
    "method": "metode",
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
    "what it is": "hvad den er", "year": "år", "what": "hvad", "ratio": "forhold",
    "change in payments": "ændring i udbetalinger",
    "change in payments, 95% interval": "ændring i udbetalinger, 95 %-interval",
    "change in payments, cumulative": "ændring i udbetalinger, akkumuleret",
    "change in payments, planted truth": "ændring i udbetalinger, indplantet sandhed",
    "net, cumulative": "netto, akkumuleret", "weeks per person": "uger pr. person",
    "weeks per person, planted truth": "uger pr. person, indplantet sandhed",
}}


# the rows of the excess-cycle table (results/details/excess_cycle.csv, column ``what``) in words
EXCESS_ROWS = {
    "en": {"ratio": "ratio", "benchmark": "benchmark: its own pre-reform cyclicality",
           "breakdown_estimate_zero": "breakdown: the estimate reaches zero",
           "breakdown_interval_zero": "breakdown: the interval reaches zero",
           "implied": "the model's own projection (its factors and covariates)"},
    "da": {"ratio": "forhold", "benchmark": "benchmark: dens egen konjunkturfølsomhed før reformen",
           "breakdown_estimate_zero": "nedbrud: estimatet når nul",
           "breakdown_interval_zero": "nedbrud: intervallet når nul",
           "implied": "modellens egen fremskrivning (dens faktorer og kovariater)"},
}


def heading(text: str, lang: str = "en") -> str:
    """A section heading of the report in ``lang`` (its English text when there is no translation)."""
    return HEADINGS.get(check_language(lang), {}).get(text, text)


def caption(template: str, lang: str = "en", **fields) -> str:
    """A table caption in ``lang``: its English ``template`` (the key) or the translation, filled with
    ``fields``."""
    return CAPTIONS.get(check_language(lang), {}).get(template, template).format(**fields)


# ---------------------------------------------------------------- the later sections and the figures
# The English phrase is the key, as in CAPTIONS; a phrase without a translation is said in English and recorded
# in UNTRANSLATED, which the tests read after rendering a Danish report.
UNTRANSLATED: set[str] = set()

FIGURE_WORDS = {"da": {
    "95% interval": "95 %-interval", "estimate": "estimat",
    "its own pre-reform cyclicality": "dens egen konjunkturfølsomhed før reformen",
    "estimate reaches zero": "estimatet når nul", "interval reaches zero": "intervallet når nul",
    "the model's own projection": "modellens egen fremskrivning",
    "ratio of the municipality's untreated change to the comparison municipalities'":
        "forhold mellem kommunens ændring uden reform og sammenligningskommunernes",
    "raw change\n(treated, stock)": "rå ændring\n(behandlet, bestand)",
    "also in comparison\n(cycle, composition)": "også i sammenligningen\n(konjunktur, sammensætning)",
    "net effect\n(DiD, cycle-adjusted)": "nettoeffekt\n(DiD, konjunkturkorrigeret)",
    "{outcome} per person per year": "{outcome} pr. person pr. år",
    "hours": "timer", "weeks_public_support": "uger på offentlig forsørgelse", "employed": "beskæftigelse",
    "stable_employed": "stabil beskæftigelse",
    "specification (sorted by estimate)": "specifikation (sorteret efter estimat)",
    "effect on {outcome} per person per year": "effekt på {outcome} pr. person pr. år",
    "cycle-adjusted": "konjunkturkorrigeret", "other": "øvrige", "no finite 95 % interval": "intet endeligt 95 %-interval",
    "beyond the axis": "uden for aksen", "planted truth": "indplantet sandhed",
    "design: stock": "design: bestand", "design: cohort": "design: kohorte",
    "comparison: {k}": "sammenligning: {k}", "all": "alle", "nearest": "nærmeste", "region": "region",
    "local unemployment covariate": "lokal ledighed som kovariat",
    "treated": "behandlet", "synthetic": "syntetisk", "hours per person per year": "timer pr. person pr. år",
    "year": "år", "gap, treated - synthetic (hours)": "forskel, behandlet - syntetisk (timer)",
    "each comparison municipality as if treated (placebo)": "hver sammenligningskommune som om behandlet (placebo)",
    "gap to its synthetic control (hours)": "forskel til dens syntetiske kontrol (timer)",
    "post/pre RMSPE ratio": "RMSPE-forhold efter/før", "municipalities": "kommuner", "donor weight": "donorvægt",
    "{name} (weight {w})": "{name} (vægt {w})", "without this donor": "uden denne donor",
    "all donors ({est})": "alle donorer ({est})",
    "average effect after the reform (hours per person per year)":
        "gennemsnitlig effekt efter reformen (timer pr. person pr. år)",
    " (95% placebo interval)": " (95 %-placebointerval)",
    "DiD with local unemployment only": "DiD med kun lokal ledighed",
    "effect on hours per person per year": "effekt på timer pr. person pr. år",
    "estimate, 95% interval": "estimat, 95 %-interval", "estimate, interval unavailable": "estimat, intet interval",
    "simultaneous 95% band": "simultant 95 %-bånd", "planted effect": "indplantet effekt",
    "years since the reform (reference: the year before)": "år siden reformen (reference: året før)",
    "investment": "investering",
    "change in benefit payments (+ = more paid; 95% interval)":
        "ændring i ydelsesudbetalinger (+ = mere udbetalt; 95 %-interval)",
    "mio. kr. a year": "mio. kr. pr. år",
    "net for the public purse, cumulative\n(payments saved minus investment)":
        "netto for de offentlige kasser, akkumuleret\n(sparede udbetalinger minus investering)",
    "break-even {year}": "break-even {year}", "mio. kr., cumulative": "mio. kr., akkumuleret",
    "all other municipalities": "alle andre kommuner",
    "{name} without the reform (planted)": "{name} uden reformen (indplantet)",
    "mean {outcome} per person": "gennemsnitlige {outcome} pr. person",
    "other municipalities: middle half": "andre kommuner: midterste halvdel",
    "other municipalities: median": "andre kommuner: median", "cases per caseworker": "sager pr. sagsbehandler",
    "national (population-weighted)": "national (befolkningsvægtet)", "municipality {kom}": "kommune {kom}",
    "gross unemployment, %": "bruttoledighed, %",
}}


def figure_words(text: str, lang: str = "en") -> str:
    """A figure's axis label or legend entry in ``lang`` (the English text is the key)."""
    if check_language(lang) == "en":
        return text
    hit = FIGURE_WORDS.get(lang, {}).get(text)
    if hit is None:
        UNTRANSLATED.add(text)
        return text
    return hit


def say(template: str, lang: str = "en", **fields) -> str:
    """A sentence of the report's later sections in ``lang``: its English ``template`` (the key of PROSE) or the
    translation, filled with ``fields``."""
    if check_language(lang) != "en":
        hit = PROSE.get(lang, {}).get(template)
        if hit is None:
            UNTRANSLATED.add(template)
        else:
            template = hit
    return template.format(**fields)


PROSE = {"da": {
    ("The stock's estimate if the municipality's untreated change had been the ratio times the comparison "
     "municipalities' change (shaded: 95% interval; dashed: its own pre-reform cyclicality; crosses: where the "
     "estimate and the interval reach zero)."):
        ("Bestandens estimat, hvis kommunens ændring uden reform havde været forholdet gange "
         "sammenligningskommunernes ændring (skraveret: 95 %-interval; stiplet: dens egen konjunkturfølsomhed før "
         "reformen; krydser: hvor estimatet og intervallet når nul)."),
    "none": "ingen",
    "cohort": "kohorte", "stock": "bestand",
    "95% interval {low} to {high}": "95 %-interval {low} til {high}",
    "no 95% interval available": "intet 95 %-interval",
    "Evaluation: {name} ({kom})": "Evaluering: {name} ({kom})",
    # the threats of the synthetic world
    "job finding follows each municipality's own response to an accumulated national cycle":
        "jobfinding følger hver kommunes egen reaktion på en akkumuleret national konjunktur",
    " ({e} times the median's in the treated municipality)": " ({e} gange medianens i den behandlede kommune)",
    ", with drifts and shocks of its own; the unemployment covariate is noisy and lowered by the reform":
        ", med egne drift og stød; ledighedskovariaten er målt med støj og sænkes af reformen",
    "job centres classify recipients as activity-ready at their own rates (log spread {sd})":
        "jobcentrene visiterer modtagere som aktivitetsparate med hver deres rate (log-spredning {sd})",
    "hiring ahead of the start from {week}": "ansættelser før starten fra {week}",
    "comparison municipalities reached by a later national programme":
        "sammenligningskommuner ramt af et senere nationalt program",
    # the headline as computed
    "The sentences of results/headline.json as written there, in English; page 1 says them in the report's "
    "language.": "Sætningerne fra results/headline.json som de står der, på engelsk; side 1 siger det samme på dansk.",
    "Why <code>{spec}</code>: {reason}": "Hvorfor <code>{spec}</code>: {reason}",
    "Left out of the robustness range (no finite 95% interval): {names}.":
        "Udeladt af robusthedsintervallet (intet endeligt 95 %-interval): {names}.",
    "Left out of the robustness range (flagged): {names}.": "Udeladt af robusthedsintervallet (markeret): {names}.",
    # all specifications
    "Notes (as the estimators write them, in English): {notes}.":
        "Noter (som estimatorerne skriver dem, på engelsk): {notes}.",
    "Inference: {methods}.": "Inferens (på engelsk): {methods}.",
    "The headline states each design's preferred specification; the design's other cycle-adjusted specifications "
    "with a finite interval are its robustness range. The naive before/after change and the DiD against all "
    "municipalities without the local unemployment rate show how much of the raw change is business cycle and "
    "recovery. Infinite intervals: too few comparison municipalities for a 95% placebo interval.":
        "Overskriften angiver hvert designs foretrukne specifikation; designets øvrige konjunkturkorrigerede "
        "specifikationer med et endeligt interval er dets robusthedsinterval. Den naive før/efter-ændring og DiD mod "
        "alle kommuner uden den lokale ledighed viser, hvor meget af den rå ændring der er konjunktur og genopretning. "
        "Uendelige intervaller: for få sammenligningskommuner til et 95 %-placebointerval.",
    # how much is business cycle; the specification curve
    "The raw change in the treated municipality's yearly stock since the year before the reform, the part the "
    "comparison municipalities also show (business cycle and composition), and the net effect (DiD on the stock "
    "with the local unemployment rate).":
        "Den rå ændring i den behandlede kommunes årlige bestand siden året før reformen, den del som "
        "sammenligningskommunerne også viser (konjunktur og sammensætning), og nettoeffekten (DiD på bestanden med "
        "den lokale ledighed).",
    "All specifications sorted by estimate with 95% intervals (top; blue: cycle-adjusted, the headline's range; "
    "black marks: the planted truth; the axis is set by the estimates, so a longer interval or a larger estimate "
    "is drawn as an arrow at its edge) and what each specification is (bottom: a black dot where the row applies).":
        "Alle specifikationer sorteret efter estimat med 95 %-intervaller (øverst; blå: konjunkturkorrigeret, "
        "overskriftens interval; sorte streger: den indplantede sandhed; aksen er sat efter estimaterne, så et "
        "længere interval eller et større estimat tegnes som en pil ved kanten) og hvad hver specifikation er "
        "(nederst: en sort prik, hvor rækken gælder).",
    # net of the business cycle
    "{est} hours ({ci}; p = {p})": "{est} timer ({ci}; p = {p})",
    "factor model": "faktormodel",
    "Yearly stock": "Årlig bestand",
    "{year} cohort": "{year}-kohorten",
    "{what}: effects by year after the reform from {label} and from DiD with the local unemployment rate as the "
    "only cycle adjustment": "{what}: effekter efter år efter reformen fra {label} og fra DiD med den lokale ledighed "
                             "som eneste konjunkturkorrektion",
    ", with the planted truth": ", med den indplantede sandhed",
    ". Open markers: no 95% interval (too few comparison municipalities).":
        ". Åbne markører: intet 95 %-interval (for få sammenligningskommuner).",
    # synthetic control
    "The treated municipality against its synthetic control, and the gap.":
        "Den behandlede kommune mod dens syntetiske kontrol, og forskellen.",
    "Donor weights (non-negative, summing to one).": "Donorvægte (ikke-negative, med sum én).",
    "Placebo gaps of the comparison municipalities (grey; {n} not shown: fewer than {k} persons, or hours "
    "dominated by one or two persons, in some year) and the treated gap.":
        "Placeboforskelle for sammenligningskommunerne (grå; {n} ikke vist: færre end {k} personer, eller timer "
        "domineret af en eller to personer, i et år) og den behandlede kommunes forskel.",
    "Post/pre RMSPE ratios: not reported, the pre-period fit is exact (degenerate), so the ratio test carries no "
    "information": "RMSPE-forhold efter/før: ikke rapporteret, tilpasningen før reformen er eksakt (degenereret), så "
                   "forholdstesten siger intet",
    "; size-normalised placebo p = {p}.": "; størrelsesnormaliseret placebo-p = {p}.",
    "Post/pre RMSPE ratios: the treated municipality ranks {rank} of {n} (p = {p}); no figure: no placebo passes "
    "disclosure control.": "RMSPE-forhold efter/før: den behandlede kommune er nummer {rank} af {n} (p = {p}); ingen "
                           "figur: ingen placebo består diskretioneringen.",
    "Post/pre RMSPE ratios: the treated municipality ranks {rank} of {n} (p = {p}; the figure shows the {shown} "
    "placebos that pass disclosure control)": "RMSPE-forhold efter/før: den behandlede kommune er nummer {rank} af "
                                              "{n} (p = {p}; figuren viser de {shown} placeboer, der består "
                                              "diskretioneringen)",
    "In-time placebo: with a fake reform in {year} (fitted on the years before it only), the synthetic control "
    "finds {placebo} hours before the real reform, against its estimate of {att} hours after it":
        "Placebo i tid: med en fiktiv reform i {year} (tilpasset alene på årene før den) finder den syntetiske "
        "kontrol {placebo} timer før den rigtige reform, mod sit estimat på {att} timer efter den",
    ": a placebo effect this large says the estimate cannot be told apart from the fit's own drift.":
        ": en så stor placeboeffekt betyder, at estimatet ikke kan skelnes fra tilpasningens egen drift.",
    "Leave-one-out: the estimate with each of the {n} donors of positive weight left out and the weights refitted "
    "ranges from {lo} to {hi} hours, against {att} with all donors.":
        "Udeladelse af én donor ad gangen: estimatet, når hver af de {n} donorer med positiv vægt udelades og vægtene "
        "tilpasses igen, ligger fra {lo} til {hi} timer, mod {att} med alle donorer.",
    # event studies
    "The cohort is the same persons every year: each coefficient is the treated municipality's change in their "
    "hours since the year before the reform, against the comparison municipalities' cohorts.":
        "Kohorten er de samme personer hvert år: hver koefficient er den behandlede kommunes ændring i deres timer "
        "siden året før reformen, sammenlignet med sammenligningskommunernes kohorter.",
    "The yearly stock's members change from year to year (people enter the target group and leave it, for work, "
    "other benefits or førtidspension): each coefficient compares the treated municipality's yearly mean with the "
    "comparison municipalities' (municipality and year fixed effects), relative to the year before the reform, so "
    "it includes changes in who is in the stock. Each municipality's sampling variance counts the persons seen in "
    "several years with their covariance (simulated calibration: tests/estimators/test_event_study_cross_sections"
    ".py).":
        "Den årlige bestands medlemmer skifter fra år til år (folk kommer ind i målgruppen og forlader den, til "
        "arbejde, andre ydelser eller førtidspension): hver koefficient sammenligner den behandlede kommunes årlige "
        "gennemsnit med sammenligningskommunernes (faste effekter for kommune og år), i forhold til året før "
        "reformen, så den omfatter ændringer i, hvem der er i bestanden. Hver kommunes stikprøvevarians tæller de "
        "personer, der ses i flere år, med deres kovarians (kalibreret ved simulation: "
        "tests/estimators/test_event_study_cross_sections.py).",
    "98 % of the time with 20 comparison municipalities and 97 % with 97":
        "98 % af gangene med 20 sammenligningskommuner og 97 % med 97",
    "97 % of simulated yearly stocks with 20 comparison municipalities and 95 % with 97":
        "97 % af de simulerede årlige bestande med 20 sammenligningskommuner og 95 % med 97",
    "Effects by year relative to the reform ({design}); joint pre-trend test p = {p} (placebo rank). Bars: each "
    "year's 95 % interval; shaded: the simultaneous 95 % band, which covers every year at once (absent where it "
    "cannot be computed; in simulation it covered {coverage}, benchmarks/README.md).":
        "Effekter efter år i forhold til reformen ({design}); samlet test for trend før reformen p = {p} "
        "(placeborang). Streger: hvert års 95 %-interval; skygge: det simultane 95 %-bånd, som dækker alle år på én "
        "gang (fraværende, hvor det ikke kan beregnes; i simulation dækkede det {coverage}, benchmarks/README.md).",
    "the average post-reform effect stays significant as long as each year's deviation from parallel trends grows "
    "by at most <b>{b}</b> times the largest change between adjacent pre-reform coefficients ({m} hours)":
        "den gennemsnitlige effekt efter reformen forbliver signifikant, så længe hvert års afvigelse fra parallelle "
        "trends vokser med højst <b>{b}</b> gange den største ændring mellem nabokoefficienter før reformen ({m} "
        "timer)",
    "the average post-reform effect is not significant even with parallel trends, so no violation is needed to "
    "overturn it": "den gennemsnitlige effekt efter reformen er ikke signifikant selv med parallelle trends, så der "
                   "kræves intet brud for at vælte den",
    "Sensitivity to violations of parallel trends ({design}; Rambachan &amp; Roth 2023, relative magnitudes): "
    "{verdict}. Plug-in version: the largest pre-period change is taken at its estimate, not with its sampling "
    "uncertainty as in R's HonestDiD.":
        "Følsomhed over for brud på parallelle trends ({design}; Rambachan &amp; Roth 2023, relative størrelser): "
        "{verdict}. Plug-in-udgave: den største ændring før reformen tages ved sit estimat, ikke med sin "
        "stikprøveusikkerhed som i R's HonestDiD.",
    "Joint pre-trend test p = {p}: the leads are ": "Samlet test for trend før reformen p = {p}: koefficienterne før "
                                                    "reformen er ",
    "jointly distinguishable from zero at 5 %, so parallel trends before the reform are in doubt":
        "samlet forskellige fra nul på 5 %-niveau, så parallelle trends før reformen er tvivlsomme",
    "not jointly distinguishable from zero at 5 % (which is not proof of parallel trends: the test has little "
    "power with one treated municipality)": "ikke samlet forskellige fra nul på 5 %-niveau (hvilket ikke beviser "
                                            "parallelle trends: testen har ringe styrke med én behandlet kommune)",
    "Linear pre-trend test: the leads drift by {slope} hours a year (p = {p}); a drift towards the reform is what a "
    "cycle the covariate misses would leave": "Lineær test for trend før reformen: koefficienterne før reformen "
                                              "driver med {slope} timer om året (p = {p}); en drift hen mod reformen "
                                              "er, hvad en konjunktur, som kovariaten ikke fanger, ville efterlade",
    ", and it is significant here.": ", og den er signifikant her.",
    ", and it is not significant here.": ", og den er ikke signifikant her.",
    "Sensitivity (Rambachan and Roth): the average effect is not significant even under parallel trends.":
        "Følsomhed (Rambachan og Roth): den gennemsnitlige effekt er ikke signifikant selv under parallelle trends.",
    "Sensitivity (Rambachan and Roth): the average effect stays significant while each year's deviation from "
    "parallel trends grows by at most {b} times the largest pre-reform step ({m} hours)":
        "Følsomhed (Rambachan og Roth): den gennemsnitlige effekt forbliver signifikant, så længe hvert års afvigelse "
        "fra parallelle trends vokser med højst {b} gange det største skridt før reformen ({m} timer)",
    "; below 1, so a violation as large as those seen before the reform would overturn it.":
        "; under 1, så et brud lige så stort som dem, der ses før reformen, ville vælte den.",
    "Simultaneous band: {above} of {n} post-reform years lie above zero with every year's uncertainty counted at "
    "once.": "Simultant bånd: {above} af {n} år efter reformen ligger over nul, når alle års usikkerhed tælles med på "
             "én gang.",
    "Simultaneous band: unavailable with this few comparison municipalities.":
        "Simultant bånd: kan ikke beregnes med så få sammenligningskommuner.",
    # the Monte Carlo
    "Each replication generates a small synthetic world ({persons} persons drawn, the treated municipality "
    "complete, the others at {scale} %; every threat of the configured world on: {threats}), builds its panels and "
    "runs the specifications the headline can rest on. Replications per arm: {per_arm}. Under <em>null</em> the "
    "reform has no effect, so the rejection rate is the test's size; under <em>effect</em> it is power, and "
    "coverage is of the planted effect (an interval that could not be computed counts as not covering, and <em>no "
    "interval</em> counts them; <em>failed</em> counts replications in which the specification could not be "
    "estimated, e.g. too few donors). With few replications the Monte Carlo standard errors (the <code>_se</code> "
    "columns) are wide: below {judge_from} replications per arm a specification is flagged only when, beyond two of "
    "them, and from that many as the results stand (the full run decides), its bias exceeds {bias_sd} of its "
    "spread, its coverage lies outside {cov_lo}-{cov_hi} % or its size outside {size_lo}-{size_hi} %; a flagged "
    "specification leaves the headline. ":
        "Hver replikation danner en lille syntetisk verden ({persons} personer trukket, den behandlede kommune "
        "fuldt ud, de øvrige med {scale} %; alle trusler i den konfigurerede verden slået til: {threats}), bygger "
        "sine paneler og kører de specifikationer, overskriften kan hvile på. Replikationer pr. arm: {per_arm}. "
        "Under <em>null</em> har reformen ingen effekt, så andelen af forkastelser er testens niveau; under "
        "<em>effect</em> er den styrken, og dækningen gælder den indplantede effekt (et interval, der ikke kunne "
        "beregnes, tæller som ikke-dækkende, og <em>intet interval</em> tæller dem; <em>fejlet</em> tæller "
        "replikationer, hvor specifikationen ikke kunne estimeres, fx for få donorer). Med få replikationer er "
        "Monte Carlo-standardfejlene (kolonnerne med SE) brede. En specifikation markeres, når dens bias overstiger "
        "{bias_sd} af dens spredning, dens dækning ligger uden for {cov_lo}-{cov_hi} % eller dens niveau uden for "
        "{size_lo}-{size_hi} %: med færre end {judge_from} replikationer pr. arm kun, når afvigelsen er større end to "
        "af standardfejlene, og fra {judge_from} replikationer som resultaterne står (den fulde kørsel afgør det); "
        "en markeret specifikation forlader overskriften. ",
    "Under <em>exposed</em> and <em>exposed_null</em> (the effect, and none: there the rejection rate is again the "
    "size) the reform municipalities are changed as config <code>monte_carlo.exposed</code> says ({changes}). ":
        "Under <em>exposed</em> og <em>exposed_null</em> (effekten og ingen effekt: her er andelen af forkastelser "
        "igen testens niveau) ændres reformkommunerne, som config <code>monte_carlo.exposed</code> siger "
        "({changes}). ",
    "In the configured world the treated municipality's deprivation lowers its target group's gain in hours from the "
    "boom by about as much as its stronger response to the cycle raises it; these arms remove that offset, so that a "
    "specification which leaves the stronger response in shows it as bias. ":
        "I den konfigurerede verden sænker den behandlede kommunes sociale belastning målgruppens "
        "gevinst i timer af opsvinget med omtrent lige så meget, som dens stærkere reaktion på konjunkturen hæver "
        "den; disse arme fjerner den udligning, så en specifikation, der lader den stærkere reaktion blive i "
        "estimatet, viser den som bias. ",
    ("<em>mean_factors</em>: the number of common factors cross-validation chose for the treated municipality, on "
     "average over the replications (interactive fixed effects; with none the estimate is a DiD of the yearly means, "
     "with its covariates if it has any). "):
        "<em>mean_factors</em>: antallet af fælles faktorer, krydsvalideringen valgte for den behandlede kommune, i "
        "gennemsnit over replikationerne (interaktive faste effekter; med ingen er estimatet en DiD af de årlige "
        "gennemsnit, med dens kovariater, hvis den har nogen). ",
    "Flagged: {names}.": "Markeret: {names}.",
    ("{arm}, {design}: the error of <code>{spec}</code> changes by {b} hours a year (Monte Carlo se {se}), "
     "that of the DiD with the local unemployment rate only by {b2} ({se2})."):
        ("{arm}, {design}: fejlen i <code>{spec}</code> ændrer sig med {b} timer om året (Monte Carlo-se {se}), "
         "fejlen i DiD med kun den lokale ledighed med {b2} ({se2})."),
    ("Effects by year after the reform over the same replications: the factor model shown year by year in the "
     "section on the business cycle (<em>factor</em>, with its placebo interval) beside the DiD with the local "
     "unemployment rate as its only cycle adjustment (<em>covariate</em>). A path that tracks the planted one "
     "as the boom builds has no trend in its error; the <em>trend</em> rows give the mean over replications "
     "of the least-squares slope of the error on the year (hours a year; <em>mean_truth</em> and "
     "<em>mean_estimate</em>: the slopes of the planted and the estimated path), flagged beyond two of its "
     "Monte Carlo standard errors. A yearly interval that could not be computed counts as not covering and "
     "is counted in <em>no_interval</em>."):
        ("Effekter år for år efter reformen over de samme replikationer: faktormodellen, som afsnittet om "
         "konjunkturerne viser år for år (<em>factor</em>, med sit placebointerval), ved siden af DiD med den lokale "
         "ledighed som eneste konjunkturkorrektion (<em>covariate</em>). Et forløb, der følger det indlagte, mens "
         "højkonjunkturen bygger sig op, har ingen trend i sin fejl; rækkerne <em>trend</em> giver gennemsnittet over "
         "replikationerne af mindste kvadraters hældning af fejlen på året (timer om året; <em>mean_truth</em> og "
         "<em>mean_estimate</em>: hældningerne af det indlagte og det estimerede forløb), markeret ud over to af "
         "dens Monte Carlo-standardfejl. Et årligt interval, der ikke kunne beregnes, tæller som ikke dækkende og "
         "tælles i <em>no_interval</em>."),
    "No trend is flagged.": "Ingen trend er markeret.",
    "Monte Carlo of the effects by year after the reform (yearly hours)":
        "Monte Carlo af effekterne år for år efter reformen (årlige timer)",
    "None is flagged.": "Ingen er markeret.",
    " <code>make montecarlo</code> runs more replications (config <code>monte_carlo.replications_full</code>) and "
    "the report then uses them.": " <code>make montecarlo</code> kører flere replikationer (config "
                                  "<code>monte_carlo.replications_full</code>), og rapporten bruger dem derefter.",
    # the first estimate and the outcome over time
    "Two-way fixed-effects difference-in-differences ({design} design, {comparison}): yearly {outcome} of the "
    "target group changed by <b>{est}</b> per person per year after the reform ({ci}, permutation p = {p}).":
        "Difference-in-differences med faste effekter for kommune og år (design: {design}, {comparison}): målgruppens "
        "årlige {outcome} ændrede sig med <b>{est}</b> pr. person pr. år efter reformen ({ci}, permutations-p = {p}).",
    " The planted truth is <b>{truth}</b>.": " Den indplantede sandhed er <b>{truth}</b>.",
    " The naive before/after change is {naive}.": " Den naive før/efter-ændring er {naive}.",
    "The cluster-robust standard error is shown for comparison only: with one treated municipality it is not valid "
    "(Conley &amp; Taber 2011). The interval and p-value come from placing each comparison municipality in the "
    "treated role.": "Den klyngerobuste standardfejl vises kun til sammenligning: med én behandlet kommune er den "
                     "ikke gyldig (Conley &amp; Taber 2011). Intervallet og p-værdien kommer fra at sætte hver "
                     "sammenligningskommune i den behandledes rolle.",
    "Mean yearly {outcome} of the target group ({design} design): the treated municipality, all other "
    "municipalities pooled, and, in a synthetic run, the treated municipality's planted untreated path.":
        "Målgruppens gennemsnitlige årlige {outcome} (design: {design}): den behandlede kommune, alle andre kommuner "
        "samlet og, i en syntetisk kørsel, den behandlede kommunes indplantede forløb uden reformen.",
    # time on public support
    "the municipality's target": "kommunens mål",
    "estimated, weeks on public support summed over {years}": "estimeret, uger på offentlig forsørgelse summeret "
                                                              "over {years}",
    "planted truth (synthetic run)": "indplantet sandhed (syntetisk kørsel)",
    "The target is an average time on public support (121 to 68 weeks); the estimate is the {design} design's "
    "weeks on public support summed over {years}, without the reform (estimated counterfactual) and with it "
    "(observed), from the event study of the specification <code>{spec}</code>. The two are not measured the same "
    "way; the comparison shows the order of magnitude.":
        "Målet er en gennemsnitlig tid på offentlig forsørgelse (121 til 68 uger); estimatet er ugerne på "
        "offentlig forsørgelse i designet {design} summeret over {years}, uden reformen (estimeret kontrafaktisk) og med den "
        "(observeret), fra eventstudiet af specifikationen <code>{spec}</code>. De to er ikke målt på samme måde; "
        "sammenligningen viser størrelsesordenen.",
    # the investment case
    "{category} {year} uses {rate_year}": "{category} {year} bruger {rate_year}",
    "Investment and the change in benefit payments by year (left, + = more paid, with placebo intervals) and the "
    "net result for the public purse, cumulated (right: benefit payments saved minus the investment; it crosses "
    "zero at break-even).": "Investering og ændringen i ydelsesudbetalinger efter år (til venstre, + = mere "
                            "udbetalt, med placebointervaller) og nettoresultatet for de offentlige kasser, "
                            "akkumuleret (til højre: sparede ydelsesudbetalinger minus investeringen; det krydser nul "
                            "ved break-even).",
    "Savings are the estimated effect on benefit payments per treated person (each year priced at that year's "
    "rates) times the number of treated persons. One rate per benefit is a simplification (providers get more, "
    "under-30s less); a real evaluation should price the payments actually made. Years without a sourced rate use "
    "the latest earlier one: {carried}. Not priced (no rate in config): {unpriced}.":
        "Besparelserne er den estimerede effekt på ydelsesudbetalingerne pr. behandlet person (hvert år prissat med "
        "det års satser) gange antallet af behandlede personer. Én sats pr. ydelse er en forenkling (forsørgere får "
        "mere, unge under 30 mindre); en rigtig evaluering bør prissætte de faktisk foretagne udbetalinger. År uden "
        "en sats med kilde bruger den seneste tidligere: {carried}. Ikke prissat (ingen sats i config): {unpriced}.",
    " Rates in config for categories this delivery's code list does not have (not applied): {categories}.":
        " Satser i config for kategorier, som denne leverances kodeliste ikke har (ikke anvendt): {categories}.",
    # calibration, balance, provenance, configuration
    "The business cycle: gross unemployment rate by year.": "Konjunkturerne: bruttoledigheden efter år.",
    "Published magnitudes the defaults are calibrated to: about 70,000 aktivitetsparate kontanthjælpsmodtagere "
    "nationally per year around 2017, about 1,000-1,400 in Hjørring, yearly paid hours about 55 before 2015 with "
    "most at zero; førtidspension grants in Hjørring from about 50 to about 200 a year with the reform.":
        "Offentliggjorte størrelser, som standardindstillingerne er kalibreret til: omkring 70.000 aktivitetsparate "
        "kontanthjælpsmodtagere på landsplan pr. år omkring 2017, omkring 1.000-1.400 i Hjørring, årlige betalte "
        "timer omkring 55 før 2015 med de fleste på nul; tilkendelser af førtidspension i Hjørring fra omkring 50 "
        "til omkring 200 om året med reformen.",
    "Matched DiD <code>{name}</code>: balance before and after matching":
        "Matchet DiD <code>{name}</code>: balance før og efter matching",
    "{treated} treated persons, {unmatched} of them without a comparison person within the caliper or on the "
    "common support (left out of the estimate). Largest absolute standardised mean difference: {before} before "
    "matching, {after} after": "{treated} behandlede personer, heraf {unmatched} uden en sammenligningsperson inden "
                               "for caliperen eller på det fælles støtteområde (udeladt af estimatet). Største "
                               "absolutte standardiserede gennemsnitsforskel: {before} før matching, {after} efter",
    " (above the usual 0.1 threshold: the matched comparison is not balanced on every covariate).":
        " (over den sædvanlige grænse på 0,1: den matchede sammenligning er ikke balanceret på alle kovariater).",
    "Synthetic registers generated by <code>evaluation.synthetic</code> (seed {seed}) in the layouts of DREAM "
    "(weekly benefit codes), eIndkomst (monthly paid hours) and the population register (residence on 1 January); "
    "the planted truth comes from simulating the treated municipality's persons without the reform with the same "
    "random numbers.": "Syntetiske registre dannet af <code>evaluation.synthetic</code> (seed {seed}) i formaterne "
                       "fra DREAM (ugentlige ydelseskoder), eIndkomst (månedlige betalte timer) og CPR "
                       "(bopæl 1. januar); den indplantede sandhed kommer fra at simulere den behandlede kommunes "
                       "personer uden reformen med de samme tilfældige tal.",
    "Register extracts on Statistics Denmark's research servers: DREAM, eIndkomst, the population register, as "
    "configured under <code>registers</code>.": "Registerudtræk på Danmarks Statistiks forskerservere: DREAM, "
                                               "eIndkomst, CPR, som konfigureret under <code>registers</code>.",
    " Municipality codes, names, regions and populations: Statistics Denmark. Every table passes the disclosure "
    "gate (<code>evaluation.disclosure</code>): cells with fewer than {k} persons are suppressed, and sums or means "
    "of hours and weeks of which the {top_n} largest contributions make up more than {share}% are blanked (the "
    "dominance rule).": " Kommunekoder, -navne, regioner og befolkningstal: Danmarks Statistik. Hver tabel passerer "
                        "diskretioneringen (<code>evaluation.disclosure</code>): celler med færre end {k} personer "
                        "undertrykkes, og summer eller gennemsnit af timer og uger, hvor de {top_n} største bidrag "
                        "udgør mere end {share} %, blankes (dominansreglen).",
    "run name": "kørslens navn", "source of the registers": "registrenes kilde",
    "treated municipality": "behandlet kommune", "first year of the reform": "reformens første år",
    "years of the panel": "panelets år", "cohort selected in": "kohorten udvalgt i",
    "preferred specification": "foretrukken specifikation", "specifications": "specifikationer",
    "smallest published cell (persons)": "mindste offentliggjorte celle (personer)",
    "seed of the synthetic registers": "seed for de syntetiske registre",
    "Monte Carlo replications per arm (make pipeline / make montecarlo)":
        "Monte Carlo-replikationer pr. arm (make pipeline / make montecarlo)",
    "The whole configuration of this run (YAML, every default filled in)":
        "Hele kørslens konfiguration (YAML, alle standardværdier udfyldt)",
    "The whole configuration of this run, every default filled in, is the last section of the HTML report "
    "(results/report.html).": "Hele kørslens konfiguration, med alle standardværdier udfyldt, er det sidste afsnit "
                              "af HTML-rapporten (results/report.html).",
}}
