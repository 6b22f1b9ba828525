"""The report: one function per section, each reading aggregate tables from results/
and returning HTML.  :func:`render_report` puts them together; a section whose inputs
are absent (say, the investment case without an ``investment`` config) is left out."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import yaml

from evaluation.report import figures as F
from evaluation.report.html import figure_html, page, table_html, versions_table


# decimals of each outcome in the report's tables: whole hours, weeks to one decimal, shares to three
OUTCOME_DIGITS = {None: 3, "hours": 0, "weeks_public_support": 1, "employed": 3, "stable_employed": 3}


def _exists(p) -> bool:
    return p is not None and Path(p).exists()


def _p3(p) -> str:
    """A p-value to three decimals, or 'unavailable' when it could not be computed (never a number)."""
    return "unavailable" if p is None or not np.isfinite(p) else f"{p:.3f}"


def threats_on(cfg: dict, lang: str = "en") -> str:
    """The threats planted in the configured synthetic world, in words (the Monte Carlo's worlds have them too)."""
    from evaluation.report.language import say

    syn = cfg.get("synthetic") or {}
    out = []
    ct = syn.get("cycle_threat") or {}
    if ct.get("enabled"):
        T = str((cfg.get("estimate") or {}).get("treated_municipality", ""))
        e = ((syn.get("municipality_overrides") or {}).get(T) or {}).get("cycle_elasticity")
        g = (lambda x: f"{x:g}".replace(".", ",") if lang == "da" else f"{x:g}")
        out.append(say("job finding follows each municipality's own response to an accumulated national cycle", lang)
                   + (say(" ({e} times the median's in the treated municipality)", lang, e=g(e)) if e else "")
                   + say(", with drifts and shocks of its own; the unemployment covariate is noisy and lowered by the "
                         "reform", lang))
    st = syn.get("selection_threat") or {}
    if st.get("enabled"):
        sd = float(st.get("classification_sd", 0.3))
        out.append(say("job centres classify recipients as activity-ready at their own rates (log spread {sd})", lang,
                       sd=f"{sd:g}".replace(".", ",") if lang == "da" else f"{sd:g}"))
    for r in syn.get("reforms") or []:
        if r.get("anticipation_week"):
            out.append(say("hiring ahead of the start from {week}", lang, week=r["anticipation_week"]))
    if (syn.get("contamination") or {}).get("enabled"):
        out.append(say("comparison municipalities reached by a later national programme", lang))
    return "; ".join(out) if out else say("none", lang)


@dataclass
class ReportInputs:
    """The files a report is made from (aggregates only; microdata never come here)."""

    estimate: Path
    calibration: Path
    sample_flow: Path
    municipality_year: Path
    truth: Path | None = None
    specifications: Path | None = None
    details_dir: Path | None = None
    balance: Path | None = None
    group_year: Path | None = None
    investment_dir: Path | None = None
    monte_carlo: Path | None = None
    monte_carlo_paths: Path | None = None


def _in_time(itp: dict | None, att: float, lang: str = "en") -> str:
    from evaluation.report.language import number, say

    if not itp or itp.get("att") is None:
        return ""
    return ("<p class='caption' id='sc-in-time'>" + say(
        "In-time placebo: with a fake reform in {year} (fitted on the years before it only), the synthetic control "
        "finds {placebo} hours before the real reform, against its estimate of {att} hours after it", lang,
        year=itp["fake_treatment_time"], placebo=number(itp["att"], 1, lang), att=number(att, 1, lang))
        + (say(": a placebo effect this large says the estimate cannot be told apart from the fit's own drift.", lang)
           if abs(itp["att"]) >= abs(att) else ".") + "</p>")


class Report:
    """Sections of the report; ``cfg`` is the validated config of the run."""

    def __init__(self, cfg: dict, inputs: ReportInputs):
        self.cfg, self.inp = cfg, inputs
        est = cfg["estimate"]
        self.kom = int(est["treated_municipality"])
        self.year0 = int(est["reform_year"])
        self.design = est.get("design", "cohort")
        self.y = est.get("outcome", "hours")
        self.truth = pd.read_csv(inputs.truth) if _exists(inputs.truth) else None
        if self.truth is not None and self.truth.empty:
            self.truth = None
        self.spec = pd.read_csv(inputs.specifications) if _exists(inputs.specifications) else None
        self.k = cfg["disclosure"]["min_persons"]
        from evaluation.report.language import TEXT, check_language

        self.lang = check_language((cfg.get("report") or {}).get("language", "en"))
        self.text = TEXT[self.lang]

    def figure(self, fig, caption: str, fig_id: str) -> str:
        """A figure with its caption, its axes' numbers in the report's language's conventions."""
        return figure_html(fig, caption, fig_id, lang=self.lang)

    def say(self, template: str, **fields) -> str:
        """A sentence of the later sections in the report's language (evaluation.report.language.PROSE)."""
        from evaluation.report.language import say

        return say(template, self.lang, **fields)

    def num(self, x: float, digits: int = 0, sign: bool = False) -> str:
        """A number in the report's language's conventions."""
        from evaluation.report.language import number

        return number(x, digits, self.lang, sign)

    def ci(self, low: float, high: float) -> str:
        """'95% interval low to high' in whole numbers, or that it is unavailable."""
        if not (np.isfinite(low) and np.isfinite(high)):
            return self.say("no 95% interval available")
        return self.say("95% interval {low} to {high}", low=self.num(low), high=self.num(high))

    # ---------------------------------------------------------------- the finding
    def municipality_name(self) -> str:
        try:
            mun = pd.read_csv(self.cfg["municipalities"])
            hit = mun.loc[mun.municipality_code == self.kom, "municipality_name"]
            return str(hit.iloc[0]) if len(hit) else f"municipality {self.kom}"
        except (OSError, KeyError, ValueError):
            return f"municipality {self.kom}"

    def title(self) -> str:
        t = self.text
        return (f"<h1 lang='{self.lang}'>{t['title'].format(name=html.escape(self.municipality_name()))}</h1>"
                f"<p lang='{self.lang}'>" + t["subtitle"].format(kom=self.kom, year0=self.year0,
                                                              run=html.escape(self.cfg["run_name"]),
                                                              source=t["source"].get(self.cfg["source"],
                                                                                     self.cfg["source"])) + "</p>")

    FULL_TIME_HOURS = 1924  # 37 hours x 52 weeks: a Danish full-time year

    def _config_text(self, english: str, danish_key: str, design: str | None = None) -> str:
        """A text of the config's ``headline`` in the report's language: ``headline.danish`` has the Danish
        ones; without it the English text is used and said to be English."""
        if self.lang == "en" or not english:
            return html.escape(english)
        da = (self.cfg.get("headline") or {}).get("danish") or {}
        v = da.get(danish_key) or {}
        v = v.get(design, "") if design is not None and isinstance(v, dict) else v
        return html.escape(v) if v else html.escape(english) + self.text["config_in_english"]

    def answer(self) -> str:
        """Page 1: what was reformed, the preferred estimate per design in words and in persons, hours and
        full-time jobs, the robustness range, the published finding beside it, the investment case; in the
        language of ``report.language`` (evaluation.report.language)."""
        if self.spec is None:
            return ""
        from evaluation.report.headline import headline
        from evaluation.report.language import effect_parts, number

        t, lang = self.text, self.lang
        hcfg = self.cfg.get("headline") or {}
        h = headline(self.spec, hcfg)
        out = [f"<div id='answer' lang='{lang}'>"]
        if self.cfg["source"] == "synthetic":
            out.append(f"<p class='banner' id='synthetic-banner'>{t['banner']}</p>")
        if hcfg.get("reform"):
            out.append(f"<p id='reform'>{self._config_text(hcfg['reform'], 'reform')}</p>")
        baseline = int((self.cfg.get("panel") or {}).get("baseline_year", self.year0 - 1))
        for design, e in h["designs"].items():
            pr = e.get("preferred")
            rb = e["robustness"]
            group = t["group"][design].format(baseline=baseline)
            if pr and pr.get("kept_out"):
                # flagged by its Monte Carlo: not stated as the finding (evaluation.report.headline), and page 1
                # says so instead of the answer; the other specifications stay a robustness range
                lo, hi = pr.get("conf_low"), pr.get("conf_high")
                ok = lo is not None and hi is not None and np.isfinite(lo) and np.isfinite(hi)
                en = " lang='en'" if lang != "en" else ""  # the Monte Carlo's flags are English data
                # "Monte Carlo exposed: ..." -> "exposed: ..." (the sentence names the Monte Carlo already)
                flags = "; ".join(f.removeprefix("Monte Carlo ") for f in pr["flags"] if f.startswith("Monte Carlo"))
                ci = (t["interval"].format(low=number(lo, 0, lang), high=number(hi, 0, lang)) if ok
                      else t["no_interval"])
                out.append(f"<p class='headline' id='answer-{design}'>" + t["kept_out"].format(
                    design=t["design"][design], group=group, spec=html.escape(pr["specification"]),
                    flags=f"<span{en}>{html.escape(flags)}</span>", est=number(pr["estimate"], 0, lang), ci=ci)
                    + "</p>")
                out.append(self._robustness_sentence(rb))
            elif pr:
                est, lo, hi = pr["estimate"], pr.get("conf_low"), pr.get("conf_high")
                ok = lo is not None and hi is not None and np.isfinite(lo) and np.isfinite(hi)
                n = self._persons_per_post_year(design)
                verb, rest = effect_parts(est, lo if ok else None, hi if ok else None, pr.get("p_value"),
                                          t["unit"], lang)
                txt = t["answer"].format(design=t["design"][design], group=group, verb=verb, rest=rest)
                base = pr.get("baseline")
                if base:
                    txt += t["of_baseline"].format(pct=number(100 * est / base, 0, lang, sign=True),
                                                   base=number(base, 0, lang))
                txt += "."
                if n:
                    total = est * n
                    txt += t["persons"].format(n=number(n, 0, lang), total=number(round(total, -3), 0, lang),
                                               fte=number(total / self.FULL_TIME_HOURS, 0, lang),
                                               fte_hours=number(self.FULL_TIME_HOURS, 0, lang))
                if pr.get("planted_truth") is not None and self.cfg["source"] == "synthetic":
                    txt += t["planted"].format(truth=number(pr["planted_truth"], 0, lang))
                txt += self._factors_sentence(pr, t)
                out.append(f"<p class='headline' id='answer-{design}'>{txt}</p>")
                excess = self._excess_cycle_sentence(design, pr, t).strip()
                if excess:  # how much harder a ride on the cycle would explain it away: a paragraph of its own
                    out.append(f"<p id='answer-excess-{design}'>{excess}</p>")
                out.append(self._robustness_sentence(rb))
                for x in self._bounds():  # the preferred specification's composition bound, when there is one
                    if x["twin"] == pr.get("specification"):
                        out.append(f"<p id='answer-composition'>" + t["composition_answer"].format(
                            diff=x["diff"], cats=x["cats"], bound=x["said_bound"]) + "</p>")
                pub = hcfg.get("published") or {}
                if pub.get("source") and pub.get("high"):  # given (the schema's defaults are empty)
                    rel = ("inside" if ok and lo <= pub["low"] and pub["high"] <= hi else
                           "overlap" if ok and pub["low"] <= hi and lo <= pub["high"] else
                           "outside" if ok else "none")
                    fb = t["from_base"].format(base=number(pub["baseline"], 0, lang)) if pub.get("baseline") else ""
                    out.append("<p id='published'>" + t["published"].format(
                        low=number(pub["low"], 0, lang), high=number(pub["high"], 0, lang), from_base=fb,
                        source=self._config_text(pub.get("source", ""), "published_source"),
                        relation=t["relation"][rel]) + "</p>")
            else:
                reason = self._config_text((hcfg.get("reason") or {}).get(design, ""), "reason", design)
                out.append(f"<p id='answer-{design}'>" + t["no_claim"].format(group=group, reason=reason) + "</p>")
        out.append(self._answer_investment())
        out.append(t["rest_in_english"])
        out.append("</div>")
        return "".join(out)

    def _robustness_sentence(self, rb: dict) -> str:
        """Page 1: the range of the design's other cycle-adjusted specifications (none: nothing)."""
        from evaluation.report.language import number

        if not rb.get("specifications"):
            return ""
        if len(rb["specifications"]) == 1:  # one estimate is not a range
            return "<p>" + self.text["robustness_one"].format(
                low=number(rb["low"], 0, self.lang), sig=self.text["significant"][bool(rb["n_significant"])]) + "</p>"
        return "<p>" + self.text["robustness"].format(
            k=len(rb["specifications"]), low=number(rb["low"], 0, self.lang), high=number(rb["high"], 0, self.lang),
            sig=rb["n_significant"], plural="" if rb["n_significant"] == 1 else "e") + "</p>"

    def _persons_per_post_year(self, design: str) -> int | None:
        """The treated municipality's persons in the design, averaged over the years after the reform (from the
        published municipality-year panel), rounded to the nearest 10."""
        if not _exists(self.inp.municipality_year):
            return None
        mp = pd.read_csv(self.inp.municipality_year)
        t = mp[(mp.design == design) & (mp.kom == self.kom) & (mp.year >= self.year0)]
        if t.empty or t.n_persons.isna().all():
            return None
        return int(round(float(t.n_persons.mean()), -1))

    def _answer_investment(self) -> str:
        from evaluation.report.language import number

        d = self.inp.investment_dir
        if not _exists(d) or not (Path(d) / "investment.json").exists():
            return ""
        t, lang = self.text, self.lang
        inv = json.loads((Path(d) / "investment.json").read_text())
        # the total over the years estimated as one (investment.total_payment_effect), so that its interval is its own
        tot = inv["savings_total"]
        paid, net = -float(tot["savings_mio"]), float(tot["net_mio"])
        paid_ci = (-float(tot["savings_high_mio"]), -float(tot["savings_low_mio"]))
        net_ci = (float(tot["net_low_mio"]), float(tot["net_high_mio"]))

        def ci(pair):
            if not all(np.isfinite(pair)):
                return t["no_interval"]
            return t["interval"].format(low=number(pair[0], 0, lang, sign=True), high=number(pair[1], 0, lang, sign=True))

        txt = t["money"].format(paid=number(paid, 0, lang, sign=True), year=inv["savings_through_year"],
                                spec=html.escape(inv["specification"]), paid_ci=ci(paid_ci),
                                invested=number(inv["investment_total_mio"], 1, lang),
                                net=number(net, 0, lang, sign=True), net_ci=ci(net_ci))
        c = inv.get("claims") or {}
        if c:
            txt += t["claims"].format(invested=number(c["invested_mio"], 0, lang), saved=number(c["saved_mio"], 0, lang),
                                      year=c["through_year"])
        wt = inv.get("weeks_target") or {}
        if wt.get("estimated_change") is not None:
            txt += t["weeks"].format(change=number(wt["estimated_change"], 1, lang, sign=True),
                                     target=number(wt["target_change"], 0, lang, sign=True),
                                     before=wt["before"], after=wt["after"])
        return f"<p id='answer-investment'>{txt}</p>"

    def _factors_sentence(self, pr: dict, t: dict) -> str:
        """How many common factors the preferred estimate used, from the result (interactive_fe only): none
        means a difference in differences of the yearly means, and page 1 says what that leaves in."""
        n = pr.get("n_factors")
        if n is None:
            return ""
        if n == 0:
            return t["factors_none"]
        spec = (self.cfg.get("specifications") or {}).get(pr["specification"]) or {}
        return t["factors_set" if spec.get("factors") is not None else "factors_cv"].format(n=n)

    def _excess_cycle(self, design: str) -> pd.DataFrame | None:
        """The excess-cycle sensitivity of the design's factor model (results/details/excess_cycle.csv), or None."""
        dd = Path(self.inp.details_dir) if self.inp.details_dir else None
        if dd is None or not (dd / "excess_cycle.csv").exists():
            return None
        ex = pd.read_csv(dd / "excess_cycle.csv")
        ex = ex[ex.design == design]
        return ex if len(ex) else None

    def _excess_cycle_sentence(self, design: str, pr: dict, t: dict) -> str:
        """Page 1: how much harder the municipality would have to have ridden the cycle for the preferred estimate to
        be the boom (the breakdown ratios), beside its own pre-reform cyclicality, from the excess-cycle table of the
        same specification."""
        from evaluation.report.language import number

        ex = self._excess_cycle(design)
        if ex is None or set(ex.specification) != {pr.get("specification")}:
            return ""
        lang = self.lang
        row = {w: r for w, r in zip(ex.what, ex.itertuples())}
        k_est, k_ci = row["breakdown_estimate_zero"].ratio, row["breakdown_interval_zero"].ratio
        if not float(ex.comparison_change.iloc[0]) > 0:
            return t["excess_none"]
        if not np.isfinite(k_est):  # no gain to explain away
            return ""
        # the ratio the model's own counterfactual implies (1 for a DiD of the means; no row in that case)
        implied = float(row["implied"].ratio) if "implied" in row else 1.0
        if np.isfinite(k_ci) and k_ci > implied:
            txt = t["excess_both"].format(ci=number(k_ci, 2, lang), est=number(k_est, 2, lang))
        else:
            txt = t["excess_est"].format(est=number(k_est, 2, lang))
        if "implied" in row:
            txt += t["excess_implied"].format(implied=number(implied, 2, lang))
        b = row.get("benchmark")
        if b is not None:
            ok = np.isfinite(b.conf_low) and np.isfinite(b.conf_high)
            ci = (t["interval"].format(low=number(b.conf_low, 0, lang), high=number(b.conf_high, 0, lang)) if ok
                  else t["no_interval"])
            txt += t["excess_bench"].format(bench=number(b.ratio, 2, lang), est=number(b.estimate, 0, lang), ci=ci)
        return txt + t["excess_caveat"].format(change=number(float(ex.comparison_change.iloc[0]), 0, lang))

    def headline(self) -> str:
        if self.spec is None:
            return ""
        from evaluation.report.headline import headline

        h = headline(self.spec, self.cfg.get("headline"))
        out = []
        en = " lang='en'" if self.lang != "en" else ""  # the JSON's sentences are English
        for design, e in h["designs"].items():
            pr = e.get("preferred")
            if pr:
                out.append(f'<p class="headline" id="headline-{design}"{en}>{html.escape(e["sentence"])}</p>')
                if pr.get("reason"):
                    out.append("<p class='caption'>" + self.say("Why <code>{spec}</code>: {reason}",
                               spec=html.escape(pr["specification"]),
                               reason=self._config_text(pr["reason"], "reason", design)) + "</p>")
                if rb := e["robustness"]["left_out_infinite_interval"]:
                    out.append("<p class='caption'>" + self.say(
                        "Left out of the robustness range (no finite 95% interval): {names}.",
                        names=html.escape(", ".join(rb))) + "</p>")
                if fl := e["robustness"]["left_out_flagged"]:
                    out.append("<p class='caption'>" + self.say(
                        "Left out of the robustness range (flagged): {names}.",
                        names=html.escape("; ".join(f"{k}: {v}" for k, v in sorted(fl.items())))) + "</p>")
            else:
                reason = self._config_text((self.cfg.get("headline", {}).get("reason") or {}).get(design, ""),
                                           "reason", design)
                out.append(f"<p id='headline-{design}'><span{en}>{html.escape(e['sentence'])}</span> {reason}</p>")
        intro = ("" if self.lang == "en" else "<p class='caption'>" + self.say(
            "The sentences of results/headline.json as written there, in English; page 1 says them in the report's "
            "language.") + "</p>")
        return (self.h2("The headline as computed (results/headline.json)") + intro + "<div id='headline-range'>"
                + "".join(out) + "</div>")

    def specifications(self) -> str:
        if self.spec is None:
            return ""
        cols = ["specification", "cycle_adjusted", "estimate", "conf_low", "conf_high", "p_value", "truth",
                "n_control_units"]
        s = self.spec[self.spec.outcome == self.y]
        if "n_factors" in s.columns and s.n_factors.notna().any():  # interactive_fe's number of factors
            cols.append("n_factors")
        if "flagged" in s.columns:
            cols.append("flagged")
        notes = ""
        if "note" in s.columns:
            nn = s[s.note.fillna("").astype(str) != ""]
            if len(nn):
                notes = ("<p class='caption'>" + self.say("Notes (as the estimators write them, in English): {notes}.",
                                                           notes="; ".join(
                    f"<code>{html.escape(r.specification)}</code>: <span lang='en'>{html.escape(str(r.note))}</span>"
                    for r in nn.itertuples())) + "</p>")
        shown = s[cols].copy()
        # what each specification is, in words (estimator, target group, comparison, covariates), beside its key
        shown.insert(1, "what_it_is", [self.spec_label(n) for n in shown.specification])
        yes, no = ("ja", "nej") if self.lang == "da" else ("yes", "no")
        shown["cycle_adjusted"] = [yes if str(v).lower() in ("true", "1") else no for v in shown.cycle_adjusted]
        shown = shown.rename(columns={"cycle_adjusted": "cycle adjusted", "n_control_units": "comparison units",
                                      "n_factors": "factors"})
        methods = sorted(set(s.inference.str.replace(r"\s*\(.*\)", "", regex=True)))
        en = " lang='en'" if self.lang != "en" else ""  # the estimators' labels are English data
        return (self.h2("All specifications (yearly hours)") + self.table(shown, table_id="specifications",
                                                                        digits={None: 0, "p_value": 3})
                + "<p class='caption'>" + self.say("Inference: {methods}.",
                                                   methods=f"<span{en}>{html.escape('; '.join(methods))}</span>")
                + "</p><p class='caption'>" + self.say(
                    "The headline states each design's preferred specification; the design's other cycle-adjusted "
                    "specifications with a finite interval are its robustness range. The naive before/after change "
                    "and the DiD against all municipalities without the local unemployment rate show how much of the "
                    "raw change is business cycle and recovery. Infinite intervals: too few comparison "
                    "municipalities for a 95% placebo interval.") + "</p>" + notes)

    def h2(self, text: str, h_id: str = "") -> str:
        """A section heading in the report's language (evaluation.report.language.HEADINGS)."""
        from evaluation.report.language import heading

        idt = f" id='{h_id}'" if h_id else ""
        lang = f" lang='{self.lang}'" if self.lang != "en" and heading(text, self.lang) != text else ""
        return f"<h2{idt}{lang}>{heading(text, self.lang)}</h2>"

    def table(self, df: pd.DataFrame, caption: str = "", table_id: str = "", digits: int | dict = 1,
              **fields) -> str:
        """A table with its caption and column names in the report's language (the caption an English template,
        filled with ``fields``) and numbers in its conventions."""
        from evaluation.report.language import caption as translate

        cap = translate(caption, self.lang, **fields) if caption else ""
        return table_html(df, cap, table_id, digits, lang=self.lang)

    def spec_label(self, name: str) -> str:
        """Specification ``name`` in words, from its config entry (report.language)."""
        from evaluation.report.language import specification_label

        base = int((self.cfg.get("panel") or {}).get("baseline_year", self.year0 - 1))
        return specification_label((self.cfg.get("specifications") or {}).get(name, {}), self.lang, base)

    def methods(self) -> str:
        """What the designs estimate, how the comparison municipalities are chosen, what makes a specification
        cycle-adjusted, the inference and the smallest p-value it can reach, and the mechanism (caseloads)."""
        if self.spec is None:
            return ""
        s = self.spec[self.spec.outcome == self.y]
        specs = self.cfg.get("specifications") or {}
        ks = sorted({int(sp.get("nearest_k", 20)) for sp in specs.values() if sp.get("comparison") == "nearest"})
        base = int((self.cfg.get("panel") or {}).get("baseline_year", self.year0 - 1))
        from evaluation.report.language import METHODS

        m = METHODS[self.lang]
        lang = f" lang='{self.lang}'"
        parts = [f"<h2 id='methods'{lang}>{m['h']}</h2>",
                 f"<h3{lang}>{m['h_designs']}</h3><p{lang}>" + m["designs"].format(base=base) + "</p>"
                 + self._composition_bounds(m, base),
                 f"<h3{lang}>{m['h_comparison']}</h3><p{lang}>"
                 + m["comparison"].format(ks=m["or"].join(str(k) for k in ks) if ks else "k", k=self.k) + "</p>",
                 f"<h3{lang}>{m['h_cycle']}</h3><p{lang}>{m['cycle']}</p>"]
        J = sorted({int(j) for j in s.n_control_units.dropna() if j > 0})
        if J:
            c = m["attainable_columns"]
            t = pd.DataFrame({c[0]: J, c[1]: [1 / (j + 1) for j in J],
                              c[2]: [m["yes"] if 1 / (j + 1) <= 0.05 else m["no"] for j in J]})
            parts.append(f"<h3{lang}>{m['h_inference']}</h3><p{lang}>{m['inference']}</p>"
                         + self.table(t, table_id="attainable-p", digits={None: 3}))
        if _exists(self.inp.municipality_year):
            mp = pd.read_csv(self.inp.municipality_year)
            if "sager_pr_sagsbehandler" in mp.columns and (mp.kom == self.kom).any():
                parts.append(f"<h3{lang}>{m['h_mechanism']}</h3>" + self.figure(
                    F.caseloads(mp, self.kom, self.year0, self.municipality_name(), lang=self.lang), m["caseloads"],
                    "fig-caseloads"))
        return "".join(parts)

    def _bounds(self) -> list[dict]:
        """Each composition bound of the specifications table (its ``bound_of`` column: the specification it
        bounds, ``specifications.bound_twins``): both rows, the categories in words and the estimates said with
        their intervals in the report's language."""
        from evaluation.report.language import TEXT, METHODS, number

        if self.spec is None or "bound_of" not in self.spec.columns:
            return []
        specs = self.cfg.get("specifications") or {}
        est = self.spec[self.spec.outcome == self.y].set_index("specification")
        t, m = TEXT[self.lang], METHODS[self.lang]
        labels = {}
        try:
            from evaluation.registers.codes import read_code_table

            codes = read_code_table(self.cfg["benefit_codes"])
            labels = codes.groupby("category")["label"].first().str.lower().to_dict()
        except (KeyError, OSError, ValueError):
            pass

        def said(r) -> str:
            ok = np.isfinite(r.conf_low) and np.isfinite(r.conf_high)
            ci = (t["interval"].format(low=number(r.conf_low, 0, self.lang), high=number(r.conf_high, 0, self.lang))
                  if ok else t["no_interval"])
            return f"{number(r.estimate, 0, self.lang)} {m['composition_unit']} ({ci})"

        out = []
        for name, twin in est.bound_of.fillna("").astype(str).items():
            if not twin or twin not in est.index:
                continue
            cats = list((specs.get(name) or {}).get("keep_leavers_to") or [])
            b, st = est.loc[name], est.loc[twin]
            out.append(dict(name=name, twin=twin, design=(specs.get(name) or {}).get("design"), bound=b, stock=st,
                            cats=" / ".join(html.escape(labels.get(c, c)) for c in cats),
                            said_bound=said(b), said_stock=said(st),
                            diff=number(st.estimate - b.estimate, 0, self.lang)))
        return out

    def _composition_bounds(self, m: dict, base: int) -> str:
        """A paragraph per composition bound (``_bounds``): its estimate beside its twin's, the difference and
        both planted truths when there are."""
        from evaluation.report.language import number

        out = ""
        for x in self._bounds():
            b, st = x["bound"], x["stock"]
            truth = (m["composition_truth"].format(bound=number(b.truth, 0, self.lang),
                                                   stock=number(st.truth, 0, self.lang))
                     if np.isfinite(b.truth) and np.isfinite(st.truth) else "")
            out += (f"<p id='composition-{x['name']}' lang='{self.lang}'>" + m["composition"].format(
                cats=x["cats"], base=base, name=f"<code>{html.escape(x['name'])}</code>", bound=x["said_bound"],
                stock=x["said_stock"], truth=truth, diff=x["diff"]) + "</p>")
        return out

    def decomposition(self) -> str:
        if self.spec is None:
            return ""
        return (self.h2("How much of the raw change is business cycle") + self.figure(
            F.decomposition(self.spec, self.y, lang=self.lang), self.say(
                "The raw change in the treated municipality's yearly stock since the year before the reform, the part "
                "the comparison municipalities also show (business cycle and composition), and the net effect (DiD on "
                "the stock with the local unemployment rate)."), "fig-decomposition")
            + self.h2("Specification curve") + self.figure(
            F.specification_curve(self.spec, self.y,
                                  labels={n: self.spec_label(n) for n in set(self.spec.specification)},
                                  lang=self.lang),
            self.say("All specifications sorted by estimate with 95% intervals (top; blue: cycle-adjusted, the "
                     "headline's range; black marks: the planted truth; the axis is set by the estimates, so a longer "
                     "interval or a larger estimate is drawn as an arrow at its edge) and what each specification is "
                     "(bottom: a black dot where the row applies)."), "fig-spec-curve"))

    def net_of_cycle(self) -> str:
        dd = Path(self.inp.details_dir) if self.inp.details_dir else None
        if dd is None or not (dd / "cycle_paths.csv").exists():
            return ""
        from evaluation.stages import cycle_model_name

        paths = pd.read_csv(dd / "cycle_paths.csv")
        from evaluation.report.language import METHODS

        m, lang = METHODS[self.lang], f" lang='{self.lang}'"
        parts = [f'<h2 id="net-of-cycle"{lang}>{m["h_net"]}</h2>', f"<p{lang}>{m['net_simple']}</p>",
                 f"<p{lang}>{m['net_factor']}</p>"]
        fals = [n for n, sp in self.cfg.get("specifications", {}).items() if sp.get("placebo_reform_year")]
        if fals and self.spec is not None:
            rows = self.spec[(self.spec.outcome == self.y) & self.spec.specification.isin(fals)]
            items = []
            for r in rows.itertuples():
                items.append(f"<li><code>{html.escape(r.specification)}</code> "
                             f"(<span lang='en'>{html.escape(str(r.note))}</span>): " + self.say(
                                 "{est} hours ({ci}; p = {p})", est=self.num(r.estimate, 1),
                                 ci=self.ci(r.conf_low, r.conf_high), p=self.num(r.p_value, 3)) + "</li>")
            parts.append(f"<p id='falsification'{lang}>{m['falsification']}</p><ul>" + "".join(items) + "</ul>")
        for design in ("stock", "cohort"):
            name = cycle_model_name(self.cfg, design)
            tt = None
            if self.truth is not None:
                tr = self.truth[(self.truth.kom == self.kom) & (self.truth.design == design)
                                & (self.truth.outcome == self.y) & (self.truth.year >= self.year0)]
                tt = pd.Series(tr.att.to_numpy(), index=tr.year.to_numpy())
            label = name or self.say("factor model")
            what = (self.say("Yearly stock") if design == "stock" else
                    self.say("{year} cohort", year=self.cfg["panel"].get("baseline_year", self.year0 - 1)))
            parts.append(self.figure(
                F.cycle_paths(paths, design, tt, label, lang=self.lang),
                self.say("{what}: effects by year after the reform from {label} and from DiD with the local "
                         "unemployment rate as the only cycle adjustment", what=what, label=label)
                + (self.say(", with the planted truth") if tt is not None else "")
                + self.say(". Open markers: no 95% interval (too few comparison municipalities)."),
                f"fig-cycle-{design}"))
            tab = paths[paths.design == design].drop(columns="design").copy()
            if tt is not None:
                tab["planted_truth"] = tab.year.map(tt)
            parts.append(self.table(tab, table_id=f"cycle-paths-{design}", digits={None: 0, "factor_p_value": 3}))
            ex = self._excess_cycle(design)
            if ex is not None:
                parts.append(f"<p id='excess-cycle'{lang}>{m['excess_cycle']}</p>")
                from evaluation.report.language import EXCESS_ROWS

                tab = ex[["what", "ratio", "estimate", "conf_low", "conf_high"]].assign(
                    what=ex.what.map(EXCESS_ROWS[self.lang]).fillna(ex.what))
                parts.append(self.figure(
                    F.excess_cycle(ex, lang=self.lang),
                    self.say("The stock's estimate if the municipality's untreated change had been the ratio times "
                             "the comparison municipalities' change (shaded: 95% interval; dashed: its own "
                             "pre-reform cyclicality; crosses: where the estimate and the interval reach zero)."),
                    "fig-excess-cycle"))
                parts.append(self.table(tab, table_id="excess-cycle-table", digits={None: 1, "ratio": 2}))
        return "".join(parts)

    # ---------------------------------------------------------------- the evidence
    def synthetic_control(self) -> str:
        dd = Path(self.inp.details_dir) if self.inp.details_dir else None
        if dd is None or not (dd / "sc_summary.json").exists():
            return ""
        path = pd.read_csv(dd / "sc_path.csv")
        summ = json.loads((dd / "sc_summary.json").read_text())
        mun = pd.read_csv(self.cfg["municipalities"])
        names = dict(zip(mun.municipality_code, mun.municipality_name))
        gaps = pd.read_csv(dd / "sc_placebo_gaps.csv", index_col=0)
        plac = pd.read_csv(dd / "sc_placebos.csv")
        lang = self.lang
        p3 = (lambda p: _p3(p) if lang == "en" else _p3(p).replace(".", ","))
        normalised = (self.say("; size-normalised placebo p = {p}.", p=self.num(summ["p_value"], 3))
                      if summ["p_value"] is not None else ".")
        return "".join([
            self.h2("Synthetic control (yearly stock, hours)"),
            self.figure(F.synthetic_control_path(path, self.year0, lang=lang),
                        self.say("The treated municipality against its synthetic control, and the gap."), "fig-sc-path"),
            self.figure(F.donor_weights(pd.read_csv(dd / "sc_weights.csv"), names, lang=lang),
                        self.say("Donor weights (non-negative, summing to one)."), "fig-sc-weights"),
            self.figure(F.placebo_gaps(gaps, path.set_index("year")["gap"], self.year0, lang=lang),
                        self.say("Placebo gaps of the comparison municipalities (grey; {n} not shown: fewer than {k} "
                                 "persons, or hours dominated by one or two persons, in some year) and the treated "
                                 "gap.", n=summ["placebo_gaps_suppressed"], k=self.k), "fig-sc-placebos"),
            ('<p class="caption" id="fig-sc-ratios">' + self.say(
                "Post/pre RMSPE ratios: not reported, the pre-period fit is exact (degenerate), so the ratio test "
                "carries no information") + normalised + "</p>") if summ.get("degenerate_fit") else
            ('<p class="caption" id="fig-sc-ratios">' + self.say(
                "Post/pre RMSPE ratios: the treated municipality ranks {rank} of {n} (p = {p}); no figure: no placebo "
                "passes disclosure control.", rank=summ["rank"], n=summ.get("n_placebos", 0) + 1,
                p=p3(summ["p_value_rmspe_ratio"])) + "</p>") if not len(plac) else
            self.figure(F.rmspe_ratios(plac, summ["post_rmspe"] / summ["pre_rmspe"], lang=lang),
                        self.say("Post/pre RMSPE ratios: the treated municipality ranks {rank} of {n} (p = {p}; the "
                                 "figure shows the {shown} placebos that pass disclosure control)", rank=summ["rank"],
                                 n=summ.get("n_placebos", len(plac)) + 1, p=p3(summ["p_value_rmspe_ratio"]),
                                 shown=len(plac)) + normalised, "fig-sc-ratios"),
            _in_time(summ.get("in_time_placebo"), summ["att"], lang),
            self._leave_one_out(dd, names, summ["att"]),
        ])

    def _leave_one_out(self, dd: Path, names: dict, att: float) -> str:
        """The leave-one-out estimates of synthetic control, as a figure (aggregates: one estimate a donor)."""
        f = dd / "sc_leave_one_out.csv"
        if not f.exists():
            return ""
        loo = pd.read_csv(f)
        if not len(loo):
            return ""
        lo, hi = loo.att.min(), loo.att.max()
        return self.figure(F.leave_one_out(loo, names, att, lang=self.lang), self.say(
            "Leave-one-out: the estimate with each of the {n} donors of positive weight left out and the weights "
            "refitted ranges from {lo} to {hi} hours, against {att} with all donors.", n=len(loo), lo=self.num(lo),
            hi=self.num(hi), att=self.num(att)), "fig-sc-leave-one-out")

    def event_study(self) -> str:
        """The event study of each design: the cohort (the same persons every year) and the yearly stock
        (repeated cross sections), each with its planted path when there is one, its pre-trend tests in words
        and its Rambachan-Roth sensitivity."""
        dd = Path(self.inp.details_dir) if self.inp.details_dir else None
        if dd is None:
            return ""
        out = ""
        for design, stem, suffix in (("cohort", "event_study", ""), ("stock", "event_study_stock", "-stock")):
            if (dd / f"{stem}.csv").exists():
                out += self._event_study_design(dd, design, stem, suffix)
        return out

    # how often the event study's simultaneous band covered every coefficient at once in simulation (no effect,
    # parallel trends; benchmarks/README.md, "Calibration of every placebo test")
    BAND_COVERAGE = {"cohort": "98 % of the time with 20 comparison municipalities and 97 % with 97",
                     "stock": "97 % of simulated yearly stocks with 20 comparison municipalities and 95 % with 97"}
    WHAT = {"cohort": ("The cohort is the same persons every year: each coefficient is the treated municipality's "
                       "change in their hours since the year before the reform, against the comparison "
                       "municipalities' cohorts."),
            "stock": ("The yearly stock's members change from year to year (people enter the target group and leave "
                      "it, for work, other benefits or førtidspension): each coefficient compares the treated "
                      "municipality's yearly mean with the comparison municipalities' (municipality and year fixed "
                      "effects), relative to the year before the reform, so it includes changes in who is in the "
                      "stock. Each municipality's sampling variance counts the persons seen in several years with "
                      "their covariance (simulated calibration: tests/estimators/test_event_study_cross_sections.py).")}

    def _event_study_design(self, dd: Path, design: str, stem: str, suffix: str) -> str:
        from evaluation.report.interpret import event_study as read_event_study

        es = pd.read_csv(dd / f"{stem}.csv")
        tt = None
        if self.truth is not None:
            tr = self.truth[(self.truth.kom == self.kom) & (self.truth.design == design)
                            & (self.truth.outcome == "hours")]
            tt = pd.Series(tr.att.to_numpy(), index=tr.year.to_numpy() - self.year0)
        what = self.say(self.WHAT[design])
        dname = self.say(design)
        out = (self.h2(f"Event study ({design}, local unemployment as covariate)") + f"<p>{what} "
               + " ".join(html.escape(t) for t in read_event_study(es, lang=self.lang)) + "</p>" + self.figure(
            F.event_study(es, tt, lang=self.lang), self.say(
                "Effects by year relative to the reform ({design}); joint pre-trend test p = {p} (placebo rank). Bars: "
                "each year's 95 % interval; shaded: the simultaneous 95 % band, which covers every year at once "
                "(absent where it cannot be computed; in simulation it covered {coverage}, benchmarks/README.md).",
                design=dname, p=self.num(es.pretrend_p_value.iloc[0], 3),
                coverage=self.say(self.BAND_COVERAGE[design])), f"fig-event-study{suffix}"))
        sens_path = dd / f"{stem}_sensitivity.csv"
        if sens_path.exists() and "rm_breakdown" in es.columns:
            sens = pd.read_csv(sens_path)
            b, m = es.rm_breakdown.iloc[0], es.rm_max_pre_change.iloc[0]
            if len(sens) and pd.notna(b):
                verdict = (self.say("the average post-reform effect stays significant as long as each year's "
                                    "deviation from parallel trends grows by at most <b>{b}</b> times the largest "
                                    "change between adjacent pre-reform coefficients ({m} hours)",
                                    b=self.num(b, 2), m=self.num(m, 1)) if b > 0 else
                           self.say("the average post-reform effect is not significant even with parallel trends, "
                                    "so no violation is needed to overturn it"))
                out += (f"<p id='honest-rm{suffix}'>" + self.say(
                            "Sensitivity to violations of parallel trends ({design}; Rambachan &amp; Roth 2023, "
                            "relative magnitudes): {verdict}. Plug-in version: the largest pre-period change is "
                            "taken at its estimate, not with its sampling uncertainty as in R's HonestDiD.",
                            design=dname, verdict=verdict) + "</p>"
                        + self.table(sens[["mbar", "theta", "conf_low", "conf_high"]], "Average post-reform effect: "
                                     "95 % interval allowing post-period steps of the bias up to Mbar times the largest "
                                     "pre-period step", f"honest-rm-table{suffix}", digits={None: 0, "mbar": 2}))
        return out

    def first_estimate(self) -> str:
        est = pd.read_csv(self.inp.estimate)
        r = est.iloc[0]
        truth_txt = (self.say(" The planted truth is <b>{truth}</b>.", truth=self.num(r["truth"]))
                     if pd.notna(r.get("truth")) else "")
        show = est[["method", "design", "comparison", "estimate", "conf_low", "conf_high", "p_value", "inference",
                    "truth", "naive_before_after", "se_cluster_robust_invalid", "n_persons"]].rename(
            columns={"se_cluster_robust_invalid": "cluster-robust SE (not valid with one treated municipality)",
                     "naive_before_after": "naive before/after change"})
        from evaluation.report.language import figure_words

        return (self.h2("The first estimate") + '<p id="headline">' + self.say(
                    "Two-way fixed-effects difference-in-differences ({design} design, {comparison}): yearly {outcome} "
                    "of the target group changed by <b>{est}</b> per person per year after the reform ({ci}, "
                    "permutation p = {p}).", design=self.say(self.design), comparison=html.escape(
                        figure_words(str(r["comparison"]), self.lang)), outcome=figure_words(self.y, self.lang),
                    est=self.num(r["estimate"]), ci=self.ci(r["conf_low"], r["conf_high"]),
                    p=self.num(r["p_value"], 3))
                + truth_txt + self.say(" The naive before/after change is {naive}.",
                                       naive=self.num(r["naive_before_after"])) + "</p>"
                + self.table(show, table_id="estimate", digits={None: 0, "p_value": 3, "p_value_cluster_robust": 3})
                + "<p class='caption'>" + self.say(
                    "The cluster-robust standard error is shown for comparison only: with one treated municipality it "
                    "is not valid (Conley &amp; Taber 2011). The interval and p-value come from placing each "
                    "comparison municipality in the treated role.") + "</p>")

    def outcome_over_time(self) -> str:
        if not _exists(self.inp.group_year):
            return ""
        g = pd.read_csv(self.inp.group_year)
        untreated = None
        if self.truth is not None:
            untreated = self.truth[(self.truth.kom == self.kom) & (self.truth.design == self.design)
                                   & (self.truth.outcome == self.y)].sort_values("year")
        from evaluation.report.language import figure_words

        return self.h2("The outcome over time") + self.figure(
            F.outcome_paths(g, self.y, self.design, figure_words("municipality {kom}", self.lang).format(kom=self.kom),
                            untreated, self.year0, lang=self.lang),
            self.say("Mean yearly {outcome} of the target group ({design} design): the treated municipality, all "
                     "other municipalities pooled, and, in a synthetic run, the treated municipality's planted "
                     "untreated path.", outcome=figure_words(self.y, self.lang), design=self.say(self.design)),
            "fig-outcome")

    # ---------------------------------------------------------------- other outcomes and the money
    def other_outcomes(self) -> str:
        if self.spec is None:
            return ""
        ca = self.spec[self.spec.cycle_adjusted.astype(bool)]
        other = ca.pivot_table(index="specification", columns="outcome", values="estimate").rename_axis(columns=None)
        out = self.h2("Other outcomes") + self.table(
            other.reset_index(), "Cycle-adjusted estimates for every outcome (hours per year; weeks on public support "
            "per year; employment and stable employment as shares)", "other-outcomes", digits=OUTCOME_DIGITS)
        tr = ca.pivot_table(index="specification", columns="outcome", values="truth").rename_axis(columns=None)
        if tr.notna().any().any():
            out += self.table(tr.reset_index(), "Planted truth for the same specifications", "other-outcomes-truth",
                              digits=OUTCOME_DIGITS)
        return out + self._weeks_target()

    def _summary(self) -> dict | None:
        d = self.inp.investment_dir
        return json.loads((Path(d) / "investment.json").read_text()) if d and (Path(d) / "investment.json").exists() \
            else None

    def _weeks_target(self) -> str:
        s = self._summary()
        if s is None or not s.get("weeks_target"):
            return ""
        w = s["weeks_target"]
        yrs = f"{min(w['years'])}-{max(w['years'])}"
        rows = [(self.say("the municipality's target"), w.get("before"), w.get("after"), w.get("target_change"))]
        rows.append((self.say("estimated, weeks on public support summed over {years}", years=yrs),
                     w["counterfactual_weeks"], w["factual_weeks"], w["estimated_change"]))
        if w.get("planted_change") is not None and pd.notna(w.get("planted_change")):
            rows.append((self.say("planted truth (synthetic run)"), None, None, w["planted_change"]))
        t = pd.DataFrame(rows, columns=["", "before / without the reform", "after / with the reform",
                                        "change (weeks)"])
        return (self.table(t, "Time on public support: the municipality's target against the estimate",
                           "weeks-target", digits=1)
                + "<p class='caption'>" + self.say(
                    "The target is an average time on public support (121 to 68 weeks); the estimate is the {design} "
                    "design's weeks on public support summed over {years}, without the reform (estimated "
                    "counterfactual) and with it (observed), from the event study of the specification "
                    "<code>{spec}</code>. The two are not measured the same way; the comparison shows the order of "
                    "magnitude.", design=self.say(s["design"]), years=yrs, spec=html.escape(s["specification"]))
                + "</p>")

    def _investment_text(self, s: dict) -> str:
        """The investment section's paragraph in the report's language: invested and saved, break-even, the
        planted truth, the municipality's account, and the total with its own interval
        (investment.total_payment_effect), in whole mio. kr. where intervals are tens of millions wide."""
        from evaluation.report.language import INVESTMENT, number

        w, lang = INVESTMENT[self.lang], self.lang
        years = sorted(int(y) for y in (self.cfg.get("investment") or {}).get("by_year", {}))
        inv_years = f"{years[0]}-{years[-1]}" if years else ""

        def ci(lo, hi):
            if not (np.isfinite(lo) and np.isfinite(hi)):
                return w["no_ci"]
            return w["ci"].format(low=number(lo, 0, lang, sign=True), high=number(hi, 0, lang, sign=True))

        out = w["summary"].format(invested=number(s["investment_total_mio"], 1, lang), inv_years=inv_years,
                                  year=s["savings_through_year"], paid=number(-s["savings_total_mio"], 0, lang, sign=True),
                                  design=w["design"].get(s["design"], s["design"]),
                                  spec=html.escape(s["specification"]))
        be = s["break_even_year"]
        out += (w["be"].format(be=be) if be is not None else
                w["no_be"].format(year=s["savings_through_year"], net=number(s["savings_total"]["net_mio"], 0, lang,
                                                                             sign=True)))
        if s.get("planted_savings_total_mio") is not None:
            out += w["planted"].format(planted=number(-s["planted_savings_total_mio"], 0, lang, sign=True))
        claims = s.get("claims") or {}
        if claims:
            out += w["claims"].format(invested=claims.get("invested_mio"), saved=claims.get("saved_mio"),
                                      year=claims.get("through_year"))
        t = s["savings_total"]
        # + = more paid: the payments are minus the savings, so the interval's ends swap
        out += w["total"].format(paid=number(-t["savings_mio"], 0, lang, sign=True),
                                 ci=ci(-t["savings_high_mio"], -t["savings_low_mio"]),
                                 yearly=number(-t["yearly_sum_mio"], 0, lang, sign=True),
                                 net=number(t["net_mio"], 0, lang, sign=True), net_ci=ci(t["net_low_mio"], t["net_high_mio"]))
        lang_attr = f" lang='{self.lang}'" if self.lang != "en" else ""
        return f'<p id="investment-summary"{lang_attr}>{out}</p>'

    def investment(self) -> str:
        from evaluation.report.language import number

        s = self._summary()
        if s is None:
            return ""
        d = Path(self.inp.investment_dir)
        by_year = pd.read_csv(d / "investment_by_year.csv")
        cats = pd.read_csv(d / "investment_categories.csv")
        rates = pd.read_csv(d / "benefit_rates.csv")
        be = s["break_even_year"]
        inv_cat = pd.DataFrame(list(s["investment_by_category_mio"].items()), columns=["category", "mio. kr."])
        # signs that read as they are said: payments + = more paid, weeks + = more weeks; net + = saved more than
        # invested; whole mio. kr. (the yearly intervals are about ten million wide)
        shown = pd.DataFrame({
            "year": by_year.year, "invested": by_year.investment_mio, "change in payments": -by_year.savings_mio,
            "change in payments, 95% interval": [
                f"{number(-hi, 0, self.lang, sign=True)} – {number(-lo, 0, self.lang, sign=True)}" if pd.notna(lo)
                else "–" for lo, hi in zip(by_year.savings_low_mio, by_year.savings_high_mio)],
            "invested, cumulative": by_year.cumulative_investment_mio,
            "change in payments, cumulative": -by_year.cumulative_savings_mio, "net, cumulative": by_year.net_mio,
            "payments effect per person (kr.)": by_year.payments_effect_per_person})
        if "planted_savings_mio" in by_year:
            shown["change in payments, planted truth"] = -by_year.planted_savings_mio
        by_benefit = pd.DataFrame({"category": cats.category, "weeks per person": -cats.weeks_saved_per_person,
                                   "change in payments": -cats.saved_mio,
                                   "priced": cats.priced.map({True: "ja", False: "nej"} if self.lang == "da"
                                                             else {True: "yes", False: "no"})})
        if "planted_weeks_saved_per_person" in cats:
            by_benefit["weeks per person, planted truth"] = -cats.planted_weeks_saved_per_person
        carried = rates[rates.rate_year != rates.year]
        carried_txt = ("; ".join(self.say("{category} {year} uses {rate_year}", category=r.category, year=r.year,
                                          rate_year=r.rate_year) for r in carried.itertuples())
                       or self.say("none"))
        rate_tab = rates.pivot_table(index="category", columns="year", values="weekly_rate").rename_axis(
            columns=None).reset_index()
        sources = rates.drop_duplicates("category")[["category", "unit", "source"]]
        return "".join([
            self.h2("The investment case"),
            self._investment_text(s),
            self.figure(F.investment_case(by_year, be, lang=self.lang), self.say(
                "Investment and the change in benefit payments by year (left, + = more paid, with placebo intervals) "
                "and the net result for the public purse, cumulated (right: benefit payments saved minus the "
                "investment; it crosses zero at break-even)."), "fig-investment"),
            self.table(shown, "Investment and the change in benefit payments by year, mio. kr. (+ = more paid; net: "
                       "payments saved minus investment, cumulated, negative = a net cost; the payments effect in "
                       "kr. per treated person and year)", "investment-by-year",
                       digits={None: 0, "invested": 1, "invested, cumulative": 1}),
            self.table(inv_cat, "The investment by category ({source})", "investment-categories", digits=1,
                       source=s.get('investment_source', '')),
            self.table(by_benefit, "Change in weeks per treated person over the years after the reform and in "
                       "payments (mio. kr.), by benefit (+ = more weeks, more paid)", "savings-by-benefit",
                       digits={"weeks per person": 1, "weeks per person, planted truth": 1, "change in payments": 0}),
            self.table(rate_tab, "Benefit rates used, DKK per week", "benefit-rates", digits=0),
            self.table(sources, "Sources of the benefit rates", "benefit-rate-sources"),
            "<p class='caption'>" + self.say(
                "Savings are the estimated effect on benefit payments per treated person (each year priced at that "
                "year's rates) times the number of treated persons. One rate per benefit is a simplification "
                "(providers get more, under-30s less); a real evaluation should price the payments actually made. "
                "Years without a sourced rate use the latest earlier one: {carried}. Not priced (no rate in config): "
                "{unpriced}.", carried=html.escape(carried_txt),
                unpriced=html.escape(", ".join(s["unpriced_categories"]) or self.say("none")))
            + (self.say(" Rates in config for categories this delivery's code list does not have (not applied): "
                        "{categories}.", categories=html.escape(", ".join(s["rates_not_applicable"])))
               if s.get("rates_not_applicable") else "")
            + "</p>",
        ])

    # ---------------------------------------------------------------- data and checks
    def calibration(self) -> str:
        cal = pd.read_csv(self.inp.calibration)
        fig, ax = plt.subplots(figsize=(7, 3.2))
        from evaluation.report.language import figure_words as fw

        ax.plot(cal.year, cal.national_unemployment, "o-", label=fw("national (population-weighted)", self.lang))
        ax.plot(cal.year, cal.treated_unemployment, "s--", label=fw("municipality {kom}", self.lang).format(kom=self.kom))
        ax.set_ylabel(fw("gross unemployment, %", self.lang)), ax.set_xlabel(fw("year", self.lang))
        ax.legend(fontsize=8)
        cols = ["year", "national_stock", "treated_stock", "treated_baseline_hours", "treated_share_zero_hours",
                "all_baseline_hours", "treated_fp_grants_from_target", "treated_fp_grants_all",
                "national_unemployment", "treated_unemployment"]
        return (self.h2("Calibration of the registers")
                + self.figure(fig, self.say("The business cycle: gross unemployment rate by year."), "fig-cycle")
                + self.table(cal[cols], "Target group by year (yearly stock)", "calibration", digits=2)
                + "<p class='caption'>" + self.say(
                    "Published magnitudes the defaults are calibrated to: about 70,000 aktivitetsparate "
                    "kontanthjælpsmodtagere nationally per year around 2017, about 1,000-1,400 in Hjørring, yearly "
                    "paid hours about 55 before 2015 with most at zero; førtidspension grants in Hjørring from about "
                    "50 to about 200 a year with the reform.") + "</p>")

    def planted_truth(self) -> str:
        if self.truth is None:
            return ""
        t = self.truth[(self.truth.kom == self.kom) & (self.truth.outcome == self.y)].pivot(
            index="year", columns="design", values="att").rename_axis(columns=None)
        return self.h2("Planted effect by year") + self.table(
            t.reset_index(), "Planted ATT on yearly {outcome}, by design", "truth", digits=0, outcome=self.y)

    def balance(self) -> str:
        if not _exists(self.inp.balance):
            return ""
        out = self.h2("Balance before the reform") + self.table(
            pd.read_csv(self.inp.balance), "The cohort in {year}: treated municipality against all comparison "
            "municipalities", "balance", digits=3, year=self.cfg['panel']['baseline_year'])
        mb = Path(self.inp.details_dir) / "matched_balance.csv" if self.inp.details_dir else None
        if _exists(mb):
            b = pd.read_csv(mb)
            for name, g in b.groupby("specification", sort=True):
                worst_b, worst_a = g.smd_before.abs().max(), g.smd_after.abs().max()
                out += (f"<h3 id='matched-balance-{html.escape(name)}'>" + self.say(
                            "Matched DiD <code>{name}</code>: balance before and after matching", name=html.escape(name))
                        + "</h3><p>" + self.say(
                            "{treated} treated persons, {unmatched} of them without a comparison person within the "
                            "caliper or on the common support (left out of the estimate). Largest absolute "
                            "standardised mean difference: {before} before matching, {after} after",
                            treated=self.num(int(g.treated_persons.iloc[0])),
                            unmatched=self.num(int(g.unmatched_treated.iloc[0])), before=self.num(worst_b, 3),
                            after=self.num(worst_a, 3))
                        + (self.say(" (above the usual 0.1 threshold: the matched comparison is not balanced on every "
                                    "covariate).") if worst_a > 0.1 else ".") + "</p>")
                out += self.table(g.drop(columns=["specification", "treated_persons", "unmatched_treated"]),
                                  "Standardised mean differences (over the pooled standard deviation before "
                                  "matching), specification {name}", f"matched-balance-table-{name}", digits=3,
                                  name=name)
        return out

    def monte_carlo(self) -> str:
        """How the design performs when the truth is known: the Monte Carlo stage's summary."""
        if not _exists(self.inp.monte_carlo):
            return ""
        mc = pd.read_csv(self.inp.monte_carlo, keep_default_na=False, na_values=[""])
        if mc.empty:
            return ""
        from evaluation.montecarlo import settings

        st = settings(self.cfg)
        b = st["bands"]
        n = mc.groupby("arm").replications.max().to_dict()
        cols = ["arm", "specification", "design", "replications", "failed", "no_interval", "mean_truth",
                "mean_estimate", "bias", "bias_se",
                "sd", "rmse", "coverage", "coverage_se", "rejection", "rejection_se", "flag"]
        if "mean_factors" in mc.columns and mc.mean_factors.notna().any():  # interactive_fe: the factors CV chose
            cols.insert(cols.index("flag"), "mean_factors")
        flagged = sorted(set(mc.specification[mc.flag.fillna("").astype(str) != ""]))
        return (self.h2("How the design performs when the truth is known (Monte Carlo)", "monte-carlo")
                + "<p>" + self.say(
                    "Each replication generates a small synthetic world ({persons} persons drawn, the treated "
                    "municipality complete, the others at {scale} %; every threat of the configured world on: "
                    "{threats}), builds its panels and runs the specifications the headline can rest on. Replications "
                    "per arm: {per_arm}. Under <em>null</em> the reform has no effect, so the rejection rate is the "
                    "test's size; under <em>effect</em> it is power, and coverage is of the planted effect (an "
                    "interval that could not be computed counts as not covering, and <em>no interval</em> counts "
                    "them; <em>failed</em> counts replications in which the specification could not be estimated, "
                    "e.g. too few donors). With few replications the Monte Carlo standard errors (the <code>_se</code> "
                    "columns) are wide: below {judge_from} replications per arm a specification is flagged only when, "
                    "beyond two of them, and from that many as the results stand (the full run decides), its bias "
                    "exceeds {bias_sd} of its spread, its coverage lies outside {cov_lo}-{cov_hi} % or its size "
                    "outside {size_lo}-{size_hi} %; a flagged specification leaves the headline. ",
                    persons=self.num(st["persons_national"]), scale=self.num(100 * st["scale"], 0),
                    threats=html.escape(threats_on(self.cfg, self.lang)),
                    per_arm=", ".join(f"{a} {k}" for a, k in sorted(n.items())), judge_from=b["judge_from"],
                    bias_sd=self.num(b["bias_sd"], 2), cov_lo=self.num(100 * b["coverage"][0]),
                    cov_hi=self.num(100 * b["coverage"][1]), size_lo=self.num(100 * b["size"][0]),
                    size_hi=self.num(100 * b["size"][1]))
                + (self.say("Under <em>exposed</em> and <em>exposed_null</em> (the effect, and none: there the "
                            "rejection rate is again the size) the reform municipalities are changed as config "
                            "<code>monte_carlo.exposed</code> says ({changes}). ",
                            changes=html.escape(", ".join(f"{k} {v:g}" for k, v in st["exposed"].items()
                                                          if v is not None)))
                   + (self.say("In the configured world the treated municipality's deprivation lowers its target "
                               "group's gain in hours from the boom by about as much as its stronger response to the "
                               "cycle raises it; these arms remove that offset, so that a specification which leaves "
                               "the stronger response in shows it as bias. ")
                      # the offset is the default change's reason; another change is stated, not explained
                      if {k: v for k, v in st["exposed"].items() if v is not None} == {"deprivation": 0.0} else "")
                   if any(str(a).startswith("exposed") for a in n) else "")
                + (self.say("<em>mean_factors</em>: the number of common factors cross-validation chose for the "
                            "treated municipality, on average over the replications (interactive fixed effects; with "
                            "none the estimate is a DiD of the yearly means, with its covariates if it has any). ")
                   if "mean_factors" in cols else "")
                + (self.say("Flagged: {names}.", names=", ".join(f"<code>{html.escape(x)}</code>" for x in flagged))
                   if flagged else self.say("None is flagged."))
                + self.say(" <code>make montecarlo</code> runs more replications (config "
                           "<code>monte_carlo.replications_full</code>) and the report then uses them.") + "</p>"
                + self.table(mc[cols], "Monte Carlo by arm and specification (yearly hours)", "monte-carlo-table",
                             digits={None: 1, "coverage": 2, "coverage_se": 2, "rejection": 2, "rejection_se": 2})
                + self.monte_carlo_paths())

    def monte_carlo_paths(self) -> str:
        """The Monte Carlo of the effects by year: does each design's yearly path track the planted one?"""
        if not _exists(self.inp.monte_carlo_paths):
            return ""
        mp = pd.read_csv(self.inp.monte_carlo_paths, keep_default_na=False, na_values=[""])
        if mp.empty:
            return ""
        trend = mp[mp.what == "trend"]
        said = []
        for r in trend[trend.model == "factor"].itertuples():
            cov = trend[(trend.arm == r.arm) & (trend.design == r.design) & (trend.model == "covariate")]
            said.append(self.say(
                "{arm}, {design}: the error of <code>{spec}</code> changes by {b} hours a year (Monte Carlo se {se}), "
                "that of the DiD with the local unemployment rate only by {b2} ({se2}).",
                arm=html.escape(str(r.arm)), design=self.say(str(r.design)), spec=html.escape(str(r.specification)),
                b=self.num(r.bias, 1), se=self.num(r.bias_se, 1),
                b2=self.num(cov.bias.iloc[0], 1) if len(cov) else "-",
                se2=self.num(cov.bias_se.iloc[0], 1) if len(cov) else "-"))
        flagged = [f"{r.arm}/{r.design}/{r.model}" for r in trend.itertuples() if isinstance(r.flag, str) and r.flag]
        cols = ["arm", "design", "specification", "model", "what", "year", "replications", "mean_truth",
                "mean_estimate", "bias", "bias_se", "sd", "coverage", "no_interval", "flag"]
        # a year is a label, not a number to format (the trend rows have none)
        mp["year"] = mp.year.map(lambda v: "" if pd.isna(v) else str(int(v)))
        return ("<p>" + self.say(
            "Effects by year after the reform over the same replications: the factor model shown year by year in the "
            "section on the business cycle (<em>factor</em>, with its placebo interval) beside the DiD with the local "
            "unemployment rate as its only cycle adjustment (<em>covariate</em>). A path that tracks the planted one "
            "as the boom builds has no trend in its error; the <em>trend</em> rows give the mean over replications "
            "of the least-squares slope of the error on the year (hours a year; <em>mean_truth</em> and "
            "<em>mean_estimate</em>: the slopes of the planted and the estimated path), flagged beyond two of its "
            "Monte Carlo standard errors. A yearly interval that could not be computed counts as not covering and "
            "is counted in <em>no_interval</em>.") + " " + " ".join(said) + " "
            + (self.say("Flagged: {names}.", names=", ".join(html.escape(x) for x in flagged)) if flagged
               else self.say("No trend is flagged.")) + "</p>"
            + self.table(mp[cols], "Monte Carlo of the effects by year after the reform (yearly hours)",
                         "monte-carlo-paths-table", digits={None: 1, "coverage": 2}))

    def glossary(self) -> str:
        from evaluation.report.language import GLOSSARY, METHODS, number

        m = METHODS[self.lang]
        rows = [(term, meaning.format(fte=number(self.FULL_TIME_HOURS, 0, self.lang)))
                for term, meaning in GLOSSARY[self.lang]]
        return (f"<h2 id='glossary' lang='{self.lang}'>{m['h_glossary']}</h2>"
                + self.table(pd.DataFrame(rows, columns=m["glossary_columns"]), table_id="glossary"))

    def provenance(self) -> str:
        cfg = self.cfg
        dom = cfg["disclosure"].get("dominance", {"top_n": 2, "max_share": 0.85})
        src = (self.say("Synthetic registers generated by <code>evaluation.synthetic</code> (seed {seed}) in the "
                        "layouts of DREAM (weekly benefit codes), eIndkomst (monthly paid hours) and the population "
                        "register (residence on 1 January); the planted truth comes from simulating the treated "
                        "municipality's persons without the reform with the same random numbers.",
                        seed=cfg.get("synthetic", {}).get("seed")) if cfg["source"] == "synthetic" else
               self.say("Register extracts on Statistics Denmark's research servers: DREAM, eIndkomst, the "
                        "population register, as configured under <code>registers</code>."))
        return (self.h2("Data provenance and disclosure control") + "<p>" + src + self.say(
                    " Municipality codes, names, regions and populations: Statistics Denmark. Every table passes the "
                    "disclosure gate (<code>evaluation.disclosure</code>): cells with fewer than {k} persons are "
                    "suppressed, and sums or means of hours and weeks of which the {top_n} largest contributions make "
                    "up more than {share}% are blanked (the dominance rule).", k=self.k, top_n=dom["top_n"],
                    share=self.num(100 * dom["max_share"])) + "</p>")

    def sample_flow(self) -> str:
        return self.h2("Sample flow") + self.table(pd.read_csv(self.inp.sample_flow), table_id="sample-flow", digits=0)

    def software(self) -> str:
        return self.h2("Software") + self.table(versions_table(), table_id="software")

    def configuration(self) -> str:
        """The settings a reader needs, and the whole configuration as a collapsed appendix of the HTML report
        (left out of the printed report: pages of YAML help nobody on paper)."""
        c, est = self.cfg, self.cfg["estimate"]
        mc = c.get("monte_carlo") or {}
        rows = [("run name", c["run_name"]), ("source of the registers", c["source"]),
                ("treated municipality", f"{self.municipality_name()} ({self.kom})"),
                ("first year of the reform", self.year0),
                ("years of the panel", f"{c['panel'].get('first_year', '')}-{c['panel'].get('last_year', '')}"),
                ("cohort selected in", c["panel"].get("baseline_year", "")),
                ("preferred specification", ", ".join(f"{self.say(d)}: {n}" for d, n in
                                                      sorted(((c.get("headline") or {}).get("preferred") or {}).items())
                                                      if n) or self.say("none")),
                ("specifications", len(c.get("specifications") or {})),
                ("smallest published cell (persons)", self.k)]
        if c["source"] == "synthetic":
            rows += [("seed of the synthetic registers", (c.get("synthetic") or {}).get("seed")),
                     ("Monte Carlo replications per arm (make pipeline / make montecarlo)",
                      f"{mc.get('replications', '')} / {mc.get('replications_full', '')}")]
        table = self.table(pd.DataFrame([(self.say(k), str(v)) for k, v in rows], columns=["setting", "value"]),
                           table_id="config-summary")
        full = yaml.safe_dump(self.cfg, sort_keys=False, allow_unicode=True)
        return (self.h2("Configuration") + table
                + "<details class='config' id='config-full'><summary>" + self.say(
                    "The whole configuration of this run (YAML, every default filled in)") + "</summary><pre>"
                + html.escape(full) + "</pre></details><p class='print-only'>" + self.say(
                    "The whole configuration of this run, every default filled in, is the last section of the HTML "
                    "report (results/report.html).") + "</p>")

    SECTIONS = ("title", "answer", "headline", "methods", "specifications", "net_of_cycle", "decomposition", "synthetic_control", "event_study",
                "monte_carlo", "first_estimate", "outcome_over_time", "other_outcomes", "investment", "calibration",
                "planted_truth", "balance", "glossary", "provenance", "sample_flow", "software", "configuration")

    def html(self) -> str:
        title = self.say("Evaluation: {name} ({kom})", name=self.municipality_name(), kom=self.kom)
        return page(title, [getattr(self, s)() for s in self.SECTIONS], lang=self.lang)


def render_report(cfg: dict, inputs: ReportInputs, out_html: Path) -> None:
    Path(out_html).write_text(Report(cfg, inputs).html())
