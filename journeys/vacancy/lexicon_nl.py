"""Dutch rules for the learning categories other than obligations (see obligations_nl)."""

from __future__ import annotations

from journeys.vacancy.exclusions import ACADEMY_ELSEWHERE
from journeys.vacancy.rules import Rule, rule

_CLIENTS = (
    r"(?:van|voor) <2>(?:klas\w*|groep\w*|cli[eë]nt\w*|bewoners?|leerlingen|leerling|studenten"
    r"|jongeren|kinderen|medewerkers|verkopers|deelnemers|patiënten|je team|het team)"
)
_LEARNING_NOUN = (
    r"\w*opleiding\w*|\w*cursus\w*|\w*training\w*|studie\w*|stude\w+|scholing\w*|examens?"
    r"|\w*certifica\w+|diploma\w*|haal\w*|behaal\w*|leren|lessen|collegegeld|leergang\w*"
    r"|\w*scholing\w*|\w*traject\w*|masterclass\w*|workshops?|lesgeld|les\w*|schoolbanken"
)
_LEADERS = (
    r"leidinggevende\w*|management\w*|managers?|directie|directeur\w*|teamleiders?|teamleads?"
    r"|bestuur\w*|schoolleiding|leiders?|(?-i:MT)|CEO|CTO|eigenaars?|oprichters?|founders?"
)

RULES_NL: tuple[Rule, ...] = (
    rule(
        "learning_value",
        r"(?:leren|ontwikkeling|ontwikkelen|groei|groeien) (?:staat|staan) (?:bij ons )?centraal",
        r"(?:staat|staan) (?:het )?(?:leren|ontwikkeling|ontwikkelen|groei) (?:bij ons )?centraal",
        r"lerende organisatie|leercultuur|leerklimaat|(?:erkend )?leerbedrijf",
        r"cultuur (?:waarin|waar) <8>(?:leren|leert|ontwikkelen|groeien)",
        r"investe(?:ren|ert|er|ring|ringen) in <4>(?:ontwikkeling|groei|mensen|medewerkers)",
        r"ruimte (?:voor|om) <4>(?:ontwikkeling|ontwikkelen|groei|groeien|leren|specialiseren"
        r"|specialisatie|verdiepen|verdieping|bekwamen|bij te scholen|\w*opleiding\w*|studie"
        r"|studeren|door te groeien)",
        r"leren (?:is|staat|vinden we) <4>(?:belangrijk|centraal|voorop|prioriteit|essentieel)",
        r"leren <3>(?:belangrijk|centraal|voorop) (?:is|staat)",
        r"(?:leren|ontwikkelen) (?:stopt|houdt) nooit(?: op)?|(?:leren|ontwikkelen) nooit ophoudt"
        r"|stopt (?:het )?leren nooit|nooit (?:uitgeleerd|klaar met leren)",
        r"(?:kansen|mogelijkheden) (?:om )?(?:je |jezelf )?(?:verder )?(?:te )?(?:ontwikkelen"
        r"|groeien)",
        r"(?:\w+- (?:en|of) )?(?:door)?(?:groei|ontwikkel|ontwikkelings|carrière|loopbaan|leer)"
        r"(?:mogelijkheden|mogelijkheid|kansen|perspectief)",
        r"doorgroei(?:en|t)|groei(?:t|en)? (?:je )?door (?:naar|tot)",
        r"(?:continu|levenslang|leven lang) (?:blijven )?(?:leren|ontwikkelen)|blijven leren",
        r"(?:blijft|blijven) (?:groeien|leren|ontwikkelen)",
        r"(?:je|jezelf) (?:verder |blijven |te )*ontwikkelen",
        r"(?:je|jouw) (?:persoonlijke |professionele |verdere )?(?:ontwikkeling|groei)",
        r"aandacht voor <3>(?:ontwikkeling|groei|leren)|talentontwikkeling",
        r"(?:persoonlijke|professionele) (?:en (?:persoonlijke|professionele) )?(?:ontwikkeling"
        r"|groei)",
        r"stimuleren <4>(?:ontwikkeling|leren|groei|ontwikkelen)|interne mobiliteit",
    ),
    rule(
        "personal_plan",
        r"(?:persoonlijk |individueel )?(?:\w+- (?:en|of) )?(?:ontwikkel|ontwikkelings|opleidings"
        r"|leer|loopbaan|groei|studie|scholings)plan(?:nen)?",
        r"(?-i:POP|IOP|PAP)|(?:leer|ontwikkel)doel(?:en)?|leer(?:lijn|lijnen|route|routes|pad"
        r"|paden)",
        r"persoonlijke? (?:leer|ontwikkel)(?:traject|route)|(?:leer)?playlists?",
        r"(?:\w+- (?:en|of) )?(?:ontwikkel|ontwikkelings|POP)gesprek(?:ken)?",
    ),
    rule(
        "coaching",
        r"\w*coach(?:es|ing)?|mentor(?:en|s|schap)?|\w*buddy(?:'s)?|\w*maatje|supervisie",
        r"coach(?:ing)?s?(?:traject|trajecten|gesprek|gesprekken)",
        r"(?:neemt|nemen) (?:je|jou) mee (?:in|op|door)|(?:je|jou) <3>meeneemt|sparringpartners?",
        r"onder (?:zijn|haar|hun|de) vleugels?|vaste maat",
        r"(?:leert|leren) (?:je|jou) <3>(?:het vak|de (?:fijne )?kneepjes|alles|de basis)",
        r"(?:voortgangs|begeleidings|coachings?|loopbaan)gesprek(?:ken)?|wegwijs (?:maakt|maken)",
        r"gesprek(?:ken)? <6>over (?:je|jouw) (?:ontwikkeling|loopbaan|groei|voortgang)",
        r"(?:werk|praktijk|stage|leer)begeleiders?|praktijkopleiders?|leermeesters?",
        r"(?:werk|praktijk|leer)begeleiding|om op terug te vallen",
        r"ervaren (?:collega|vakman|vakvrouw|medewerker|chauffeur)\S* <2>(?:die|dat) (?:je|jou) <4>"
        r"(?:helpt|laat zien|tips geeft|wegwijs maakt|inwerkt|begeleidt|leert|uitlegt)",
        r"begeleidingstraject(?:en)?|(?:loopbaan|carrière)(?:begeleiding|advies|gesprek|gesprekken)",
        r"begeleidt je|(?:je )?(?:wordt|word) (?:je )?begeleid|onder begeleiding van",
        r"(?:goede|persoonlijke|intensieve) begeleiding",
        after=_CLIENTS,
    ),
    rule(
        "leader_example",
        r"feedback\w*",
        requires=rf"{_LEADERS}|elkaar|cultuur|360\S*",
        before=r"(?:klant|klanten|gebruikers?)",
        after=r"van (?:klanten|gebruikers|cli[eë]nten)",
    ),
    rule(
        "leader_example",
        r"feedbackcultuur",
        rf"(?:{_LEADERS}) <8>(?:zelf|ook) <3>(?:leren|leert|volgen|volgt|ontwikkelen)",
        r"fouten (?:durven|mogen|maken) <4>(?:leren)?|(?:leren|leert) (?:van|uit) (?:je "
        r"|onze )?fouten",
        r"(?:het goede )?voorbeeld (?:geven|geeft)",
        r"(?:niet|niemand|nooit) bang <6>fouten|fouten maken mag|mag (?:je )?fouten maken",
        r"uitgeleerd is (?:hier )?niemand|niemand is (?:hier )?uitgeleerd",
        r"in de (?:college|school)banken <3>zelf|zelf <5>(?:college|school)banken",
    ),
    rule(
        "recognition",
        r"certifica(?:at|ten)|(?:open |digitale )?badges?|erkenning|beloning|bonus|periodiek"
        r"|(?:salaris|loon|loons|inkomens)verhoging(?:en)?|hogere inschaling",
        requires=r"ontvang\w*|krijg\w*|na (?:afronding|het behalen)|als je|voor (?:elke|iedere)"
        r"|bij het behalen|afgeronde|afgesloten met|sluit je af met|eindigt met",
    ),
    rule(
        "recognition",
        r"(?:landelijk|officieel|wettelijk|nationaal|internationaal) erkend(?:e)? (?:diploma"
        r"|certificaat|getuigschrift)",
        r"erkend(?:e)? [\w-]*(?:diploma|certificaat|getuigschrift)\w*",
        r"gediplomeerd",
        requires=r"na (?:je|jouw|de|het) (?:opleiding|traject|afronding)|erkend|opleiding\w* tot",
    ),
    rule(
        "budget_time",
        r"(?:persoonlijk )?(?:\w+- (?:en|of) )?(?:opleidings|ontwikkel|ontwikkelings|leer|studie"
        r"|scholings|trainings)(?:budget|budgetten|vergoeding|faciliteiten)",
        r"(?:\w+- (?:en|of) )?(?:studie|leer|opleidings|scholings|professionaliserings|ontwikkel)"
        r"(?:dag|dagen|uren|uur|tijd|verlof)|STAP-budget|(?:studie|opleidings)kosten\w*",
        r"budget (?:voor|om) <2>(?:opleiding\w*|ontwikkeling|cursussen|training\w*|scholing|leren)",
        r"(?:pot|potje|budget|bedrag) (?:geld )?<4>(?:voor|aan) (?:je|jouw) (?:ontwikkeling|groei"
        r"|opleiding\w*)",
        r"(?:uren|uur|dagen|dag|tijd) (?:per \w+ )?(?:voor|aan) (?:je )?(?:professionalisering"
        r"|ontwikkeling|studie|leren|opleiding\w*|scholing)",
    ),
    rule(
        "budget_time",
        r"(?:wij|we) (?:betalen|vergoeden)|(?:volledig |deels )?vergoed|op onze kosten"
        r"|onder werktijd|betalen wij|betaald|(?:voor )?(?:onze|eigen) rekening",
        r"(?:tellen|telt) <2>als werktijd",
        requires=_LEARNING_NOUN,
        prerequisites="always",
    ),
    rule(
        "learning_environment",
        r"e-learning\w*|leerplatform\w*|leeromgeving|leerplein|leeraanbod",
        r"(?:opleidings|trainings|cursus)- (?:en|of) \w*(?:mogelijkheden|aanbod|programma's?)",
        r"(?:\w+- (?:en|of) )?(?:opleidings|trainings|cursus)(?:programma|centrum|traject"
        r"|mogelijkheden|aanbod)",
        r"traineeship|traineeprogramma|leer-?werktraject|(?-i:BBL)|leergang(?:en)?|bootcamps?",
        r"werkend leren|(?:leren en werken|werken en leren)(?: combineren)?|opgeleid",
        r"(?:leiden|leidt) (?:je|jou|zelf) <3>op",
        r"(?:inductie|ontwikkel|leer|opleidings|trainings|talent|leiderschaps|trainee)programma"
        r"(?:'s)?",
        r"masterclass(?:es)?|workshops?|(?:vak)?cursus(?:sen)?|trainingen|training"
        r"|(?:vak|master|leiderschaps|management|praktijk)?opleiding(?:en)?|scholingen",
        r"GoodHabitz|LinkedIn Learning|Udemy|Coursera|Studytube|(?-i:NCOI|LOI)|Plusport",
        before=r"(?:afgeronde|relevante|passende|geeft|verzorgt|geven|verzorgen|organiseert)",
        unless=r"opleidingsniveau|werk- en denkniveau|afgerond|afgeronde (?:hbo|mbo|wo|opleiding"
        r"|studie)",
    ),
    rule(
        "learning_environment",
        r"in eigen huis|in-?company|in huis",
        requires=_LEARNING_NOUN,
    ),
    rule(
        "learning_environment",
        r"\w*academ(?:ie|y)",
        after=r"(?:is|zoekt|heeft|in|,)",
        unless=ACADEMY_ELSEWHERE,
    ),
    rule(
        "knowledge_sharing",
        r"kennis (?:en ervaring )?(?:te )?(?:delen|deelt|gedeeld)|(?:delen|deelt) <3>kennis",
        r"kennis(?:deling|sessie|sessies|avond|avonden|middag|middagen|bijeenkomst|bijeenkomsten"
        r"|lunch|lunches|netwerk|platform)|lunchsessies?|intervisie\w*|casuïstiek\w*",
        r"casus(?:besprekingen|bespreking|sen) <3>(?:bespreken|bespreekt|besproken)?",
        r"(?:met|van) (?:en (?:met|van) )?elkaar (?:leren|leert)|(?:leren|leert) (?:van|met) "
        r"(?:en (?:van|met) )?elkaar|(?:met elkaar|samen) leren",
        r"\w*leergemeenschap\w*|communit(?:y|ies) of practice|\w*gilde|(?<!&\s)guilds?|chapters?",
        r"code ?reviews?|pair ?programming|hackathons?|meetups?",
        r"elkaars (?:lessen|werk|code|casussen|praktijk)|(?:bezoeken|observeren) (?:we )?elkaar",
        r"collega's <3>(?:presenteren|delen|laten zien)|kennisuitwisseling|(?:uitwisselen"
        r"|uitwisseling)"
        r" (?:van )?kennis|kennis (?:uit te wisselen|uitwisselen)|(?:inter)?collegiale \w+",
        r"(?:inspiratie|leer)sessies?|leesclubs?|boekenclubs?|refereer\w*|journal ?clubs?",
        r"(?:leert|leren|leer) (?:veel )?van (?:ervaren |je |onze )?(?:collega's|vakgenoten)",
        r"aan elkaar voor|(?:samen|met elkaar) puzzelen|van elkaars \w+|iedereen vertelt wat",
        r"(?:lopen|nemen|bespreken) we <4>(?:lastigste|moeilijkste|lastige|moeilijke) \w+ <5>door",
    ),
)
