"""The mission's publications and the chapters each starts from (pure data).

Chapters follow the fixed order of the mission's reports (domain-facts §6): conclusions →
conditions of observation → election commissions → nomination and registration → campaigning →
voting (early voting, election day, count and tabulation) → complaints and appeals →
recommendations. Conclusions are the statement's key findings (its executive summary) and
recommendations its own field; the chapters between are sections. Each chapter carries the
figure blocks it usually has and prompts (``[[write: ...]]``) for the analysis, which must be
replaced before the statement can be published."""

from __future__ import annotations

from dataclasses import dataclass

from observer.statements.figures import labels


@dataclass(frozen=True)
class Chapter:
    code: str
    heading: dict[str, str]
    stages: tuple[str, ...]  # stage codes the chapter is about (its incident figures)
    prompt: dict[str, str]
    figures: tuple[str, ...] = ()  # placeholders placed after the prompt, one per block


@dataclass(frozen=True)
class Kind:
    code: str
    name: dict[str, str]
    chapters: tuple[str, ...]
    stages: tuple[str, ...]  # stages covered by default


WRITE = labels(
    "[[write: the chapter's analysis, argued standard by standard]]",
    "[[write: аналіз раздзела, стандарт за стандартам]]",
    "[[write: анализ раздела, стандарт за стандартом]]",
)

CHAPTERS: dict[str, Chapter] = {
    c.code: c
    for c in (
        Chapter(
            "conditions",
            labels("Conditions of observation", "Умовы назірання", "Условия наблюдения"),
            (),
            labels(
                "[[write: how the mission could observe: access, risks, sources used]]",
                "[[write: як місія магла назіраць: доступ, рызыкі, крыніцы]]",
                "[[write: как миссия могла наблюдать: доступ, риски, источники]]",
            ),
            ("[[incidents.by_region table]]",),
        ),
        Chapter(
            "commissions",
            labels("Election commissions", "Выбарчыя камісіі", "Избирательные комиссии"),
            ("commissions",),
            WRITE,
            (
                "[[records.commission_composition]]",
                "[[records.inclusion_rates]]",
                "[[incidents.by_criterion stage=commissions table]]",
                "[[assessments.conclusions stage=commissions]]",
            ),
        ),
        Chapter(
            "nomination",
            labels(
                "Nomination and registration of candidates",
                "Вылучэнне і рэгістрацыя кандыдатаў",
                "Выдвижение и регистрация кандидатов",
            ),
            ("nomination", "registration"),
            WRITE,
            (
                "[[records.candidate_pipeline]]",
                "[[records.refusals_by_reason]]",
                "[[incidents.by_criterion stage=nomination table]]",
                "[[incidents.by_criterion stage=registration table]]",
            ),
        ),
        Chapter(
            "campaigning",
            labels("Campaigning", "Агітацыя", "Агитация"),
            ("campaigning",),
            WRITE,
            (
                "[[incidents.by_criterion stage=campaigning chart]]",
                "[[cases stage=campaigning]]",
                "[[assessments.conclusions stage=campaigning]]",
            ),
        ),
        Chapter(
            "voting",
            labels(
                "Voting: early voting, election day, count and tabulation",
                (
                    "Галасаванне: датэрміновае галасаванне, дзень выбараў, падлік і падвядзенне "
                    "вынікаў"
                ),
                "Голосование: досрочное голосование, день выборов, подсчёт и установление итогов",
            ),
            ("early_voting", "election_day", "counting"),
            WRITE,
            (
                "[[incidents.by_criterion stage=early_voting table]]",
                "[[incidents.by_criterion stage=election_day chart]]",
                "[[incidents.by_criterion stage=counting table]]",
                "[[incidents.by_district table]]",
                "[[cases stage=election_day]]",
            ),
        ),
        Chapter(
            "complaints",
            labels("Complaints and appeals", "Скаргі і апеляцыі", "Жалобы и апелляции"),
            ("complaints",),
            WRITE,
            ("[[incidents.by_criterion stage=complaints table]]",),
        ),
        Chapter(
            "context",
            labels(
                "Legal and political context",
                "Прававы і палітычны кантэкст",
                "Правовой и политический контекст",
            ),
            (),
            labels(
                "[[write: the legal framework and the political situation before the vote]]",
                "[[write: прававая база і палітычная сітуацыя перад выбарамі]]",
                "[[write: правовая база и политическая ситуация перед выборами]]",
            ),
        ),
    )
}

ALL_STAGES = (
    "commissions",
    "nomination",
    "registration",
    "campaigning",
    "early_voting",
    "election_day",
    "counting",
    "complaints",
)

KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "launch",
            labels("Launch statement", "Заява аб пачатку місіі", "Заявление о начале миссии"),
            ("conditions",),
            ALL_STAGES,
        ),
        Kind(
            "eve",
            labels(
                "The situation on the eve of the elections",
                "Сітуацыя напярэдадні выбараў",
                "Ситуация накануне выборов",
            ),
            ("context", "conditions"),
            ALL_STAGES,
        ),
        Kind(
            "commissions",
            labels(
                "Formation of election commissions",
                "Утварэнне выбарчых камісій",
                "Образование избирательных комиссий",
            ),
            ("conditions", "commissions"),
            ("commissions",),
        ),
        Kind(
            "nomination",
            labels(
                "Nomination and registration of candidates",
                "Вылучэнне і рэгістрацыя кандыдатаў",
                "Выдвижение и регистрация кандидатов",
            ),
            ("conditions", "nomination"),
            ("nomination", "registration"),
        ),
        Kind(
            "campaigning",
            labels("Campaigning", "Агітацыя", "Агитация"),
            ("conditions", "campaigning"),
            ("campaigning",),
        ),
        Kind(
            "preliminary",
            labels(
                "Preliminary report on voting day",
                "Папярэдняя справаздача аб дні галасавання",
                "Предварительный отчёт о дне голосования",
            ),
            ("conditions", "voting", "complaints"),
            ("early_voting", "election_day", "counting", "complaints"),
        ),
        Kind(
            "final",
            labels("Final report", "Выніковая справаздача", "Итоговый отчёт"),
            ("conditions", "commissions", "nomination", "campaigning", "voting", "complaints"),
            ALL_STAGES,
        ),
    )
}

CONCLUSIONS_PROMPT = labels(
    "- [[write: the mission's conclusions, one per line]]",
    "- [[write: высновы місіі, па адной у радку]]",
    "- [[write: выводы миссии, по одному в строке]]",
)
RECOMMENDATIONS_PROMPT = labels(
    "[[recommendations.summary]]\n\n- [[write: the mission's recommendations, one per line]]",
    "[[recommendations.summary]]\n\n- [[write: рэкамендацыі місіі, па адной у радку]]",
    "[[recommendations.summary]]\n\n- [[write: рекомендации миссии, по одной в строке]]",
)


def chapter_body(chapter: Chapter, language: str) -> str:
    return "\n\n".join([chapter.prompt[language], *chapter.figures])
