"""English rules for the learning categories other than obligations (see obligations_en)."""

from __future__ import annotations

from journeys.vacancy.exclusions import ACADEMY_ELSEWHERE
from journeys.vacancy.rules import Rule, rule

_OTHERS = (
    r"(?:your|the|them|our|their|other|new|junior|a|an)\b|(?:of|for|to) <2>(?:class\w*|groups?"
    r"|students|pupils|juniors?|others|staff|apprentices|trainees|residents|clients|customers)"
)
_LEARNING_NOUN = (
    r"courses?|training|tuition|exams?|fees|study|studies|qualifications?|lessons|certifications?"
    r"|learning|apprenticeship|obtain|gain|achieve|SVQ|NVQ|CPC"
)
_LEADERS = (
    r"leaders?|leadership|managers?|management|CEO|CTO|founders?|directors?|team ?leads?"
    r"|heads? of \w+|supervisors?"
)

RULES_EN: tuple[Rule, ...] = (
    rule(
        "learning_value",
        r"learning (?:is|are) <4>(?:values?|built into|woven into|at the heart|central|embedded)",
        r"(?:core )?values? (?:of|is|are) learning|internal mobility|promote from within",
        r"(?:culture|organi[sz]ation|company|place|environment) (?:of|where|in which|that values)"
        r" <5>(?:learning|growth|development|curiosity)",
        r"learning (?:culture|organi[sz]ation|company)|growth mindset",
        r"(?:continuous|continual|lifelong|life-long) (?:learning|development|improvement|growth)",
        r"never stop learning|keep(?:s)? learning",
        r"invest(?:s|ing|ment)? in <3>(?:development|growth|people|learning|talent)",
        r"(?:room|space|opportunit(?:y|ies)|scope|chances?) (?:for|to) <3>(?:grow|growth|develop"
        r"|development|progress|progression)",
        r"(?:career|professional|personal) (?:growth|development|progression)",
        r"grow (?:with us|into)|helps? (?:you|them|people|everyone) grow|develop (?:yourself|your"
        r" (?:skills|career))|(?:growth|development|learning|career|progression) opportunit\w+",
        r"(?:real|good|great|excellent|genuine|clear) (?:career )?prospects|promoted? internally",
        r"promote (?:from within|internally|someone we know|our own|people we know)"
        r"|(?:trained|started|grew) with us|room to (?:move up|climb|progress)",
        r"(?:advertise|fill|recruit)\w* <3>internally",
        r"learning (?:lab|team|community|group|culture)|people grow|grow with us",
        r"learning is part of (?:the|our|your|every) (?:job|work|culture|day|week)",
        r"encouraged to (?:grow|develop|learn|progress)",
        r"career (?:pathways?|paths?|ladders?)|(?:support|supports|encourage|encourages) (?:your"
        r"|their|everyone's|continuous|personal|professional) (?:growth|development|learning)",
        after=r"(?:disabilit\w*|difficult\w*)",
    ),
    rule(
        "personal_plan",
        r"(?:personal |individual |professional )?(?:career )?(?:development|learning|growth"
        r"|training|career) plans?",
        r"(?-i:IDP|PDP)|learning (?:goals?|objectives?|paths?|pathways?|journeys?|tracks?)",
        r"(?:individual|personal|own) (?:training|learning|development) (?:paths?|pathways?|routes?"
        r"|tracks?)|training (?:paths?|pathways?)",
        r"development (?:goals?|objectives?)|playlists?",
    ),
    rule(
        "coaching",
        r"\w*coach(?:es|ing)?|mentor(?:s|ing|ship)?|buddy|buddies|preceptor\w*|supervision",
        r"counsell?ors?|career (?:conversations?|reviews?|guidance|coaching|advice|talks?)",
        r"under (?:their|his|her|our|my) wing|debrief\w* <3>(?:with you|you)"
        r"|(?:senior|experienced|lead) \w+ (?:beside|next to|alongside) you|supervising \w+ who",
        r"(?:guide|guides|mentors|coaches|supports) you|shadow(?:ing)? <3>(?:experienced"
        r"|senior) \w+",
        r"learn(?:ing|s)? from (?:our |an? |the )?(?:experienced|senior|head|lead|expert)\w* \w+"
        r"|sparring partners?",
        before=r"(?:you|to|will|you'll|are comfortable)",
        after=_OTHERS + r"|skills|techniques|staff",
    ),
    rule(
        "leader_example",
        r"feedback",
        requires=rf"{_LEADERS}|culture|each other|one another|360",
        before=r"(?:customer|client|user|guest|patient)s?",
        after=r"from (?:customers|clients|users|guests|patients)",
    ),
    rule(
        "leader_example",
        r"feedback culture|lead(?:s|ing)? by example|psychological(?:ly)? safe\w*",
        rf"(?:{_LEADERS}) <8>(?:shares?|sharing) what (?:they|she|he) (?:are|is|has|have) learn\w*",
        r"who (?:is|are) (?:herself|himself|themselves) (?:learning|following|studying)",
        rf"(?:{_LEADERS}) <10>(?:what (?:they|she|he|we) (?:are|is|have been|has been) learning"
        r"|(?:got|gets|get) (?:it )?wrong|(?:own|their|her|his) mistakes)",
        r"(?:safe|okay|ok|allowed) to (?:make mistakes|fail)|blameless|no[- ]blame",
        r"(?:own|their|her|his) (?:worst|biggest|bad|wrong) (?:calls?|decisions?|mistakes?)",
        r"honest mistakes?|puts? (?:her|his|their) hands? up",
        r"(?:she|he|they)(?:'s| is| are) the first to <8>(?:wrong|mistakes?|bad call)",
        rf"(?:{_LEADERS}) <8>(?:take|takes|follow|follows|attend|attends|go on|goes on|do|does"
        r"|books? (?:herself|himself|themselves) on)"
        r" <3>(?:the same )?(?:\w+ )?(?:courses|training|programmes?)",
        r"(?:fine|okay|ok|safe|normal) to (?:say|admit) <5>(?:wrong|mistakes?|don't know)"
        r"|(?:is|are) (?:a )?(?:students?|learners?) (?:herself|himself|themselves)"
        r"|(?:nobody|no one) <3>pretends? to know everything",
        r"learn(?:ing)? from (?:our |your |their )?(?:mistakes|failures)",
    ),
    rule(
        "recognition",
        r"(?:digital |open )?badges|certificates?|(?:salary|pay) (?:increase|rise|raise|step)s?"
        r"|bonus(?:es)?|rewards?",
        r"(?:moves?|move) you up <2>(?:pay|salary) (?:bands?|grades?|scales?)",
        requires=r"for (?:every|each) completed|on completion|upon completion|as you complete"
        r"|fully funded|funded|sponsored|(?:each|every) \w+ you (?:pass|complete|finish)"
        r"|when you (?:complete|finish|pass)|each time you|you(?:'ll)? (?:receive|earn|get)"
        r"|for (?:every|each)"
        r"|(?:after|on) (?:passing|completing|finishing|qualifying)|once you (?:pass|complete"
        r"|qualify)",
    ),
    rule(
        "recognition",
        r"(?:nationally |internationally )?recogni[sz]ed <2>(?:qualification|certificate"
        r"|diploma)s?",
        r"(?:celebrate|reward)s? <4>(?:learning|progress)",
    ),
    rule(
        "recognition",
        r"(?-i:NVQ|SVQ|BTEC|HNC|HND)(?: Level \d)?|qualifications?|diplomas?|degrees?",
        requires=r"funded|funding|fund|funds|sponsored|gain|earn|earns|earned|achieve|work towards",
    ),
    rule(
        "budget_time",
        r"(?:personal )?(?:learning|training|development|growth|education|study|conference|L&D"
        r"|book)"
        r" (?:budget|allowance|stipend|fund)s?",
        r"(?:paid |protected |dedicated )?(?:learning|study|training|development|conference|exam"
        r"|CPD|L&D) (?:days?|leave|hours?|time|afternoons?|mornings?)",
        r"(?:[£€$] ?[\d.,]+|\d+ days?(?: off)?) <8>(?:to spend on|for|on) <4>(?:learning|growth"
        r"|grow|development|courses|training|conferences|books)",
        r"\d+ ?% of (?:your |working |the )?(?:time|hours|week) for <1>(?:self-study|learning"
        r"|study|development|courses|training)",
        r"study support|tuition (?:reimbursement|assistance)|earn while you learn",
        r"\w+ budgets? <6>(?:to|for) <3>(?:attend\w*|conferences?|courses?|training|learning|books"
        r"|development|certifications?|study)",
        r"sponsor(?:ship|ed|s)? (?:for )?<3>(?:certification|course|study|qualification|exam|degree"
        r"|MBA)s?",
    ),
    rule(
        "budget_time",
        r"(?:we|the \w+) (?:\w+ (?:and|&) )?(?:pay|pays|fund|funds|cover|covers|reimburse\w*)"
        r"(?: for)?",
        r"(?:pay|pays|paid|cover|covers|covered|fund|funds|funded|reimburse\w*) (?:for )?(?:the "
        r"|your |all )?<2>(?:exams?|courses?|training|tuition|study|certifications?"
        r"|qualifications?|CPD|conferences?)(?: fees| costs)?",
        r"paid by (?:the|us|our) \w+|fully funded|(?:are |is )?(?:paid|funded|covered|reimbursed)",
        r"(?:within|during|in) (?:paid )?working hours|on (?:company|work) time",
        requires=_LEARNING_NOUN,
        prerequisites="always",
    ),
    rule(
        "learning_environment",
        r"e-learning\w*|learning (?:platform|hub|portal|management system|library|app)",
        r"online (?:courses|learning|training)|courses|course(?! of)|trainings?|workshops?",
        r"masterclass(?:es)?|apprenticeships?|traineeships?|graduate (?:programme|program|scheme)",
        r"(?:development|training|learning|leadership|graduate|trainee|career) (?:programmes?"
        r"|programs?)",
        r"(?-i:CPD)(?: sessions| courses)?|Early Career Framework|language (?:lessons|classes)",
        r"(?-i:ACA|ACCA|CIMA|AAT|CIPD) (?:qualification|training|studies)",
        r"(?-i:NVQ|SVQ|BTEC|HNC|HND)(?: Level \d)?|Level \d <3>(?:qualification|diploma|award)",
        r"Pluralsight|O'Reilly|Udemy|Coursera|LinkedIn Learning|GoodHabitz|Skillsoft|edX",
        r"tutorials?|in-house (?:training|tutorials?|courses?)",
        r"(?:we(?:'ll| will)?|will) (?:fully )?train you",
        before=r"(?:of|model|you deliver|delivering|you give|giving|you run|you provide"
        r"|organi[sz]e|organi[sz]ing)(?: \w+ and)?",
        after=r"(?:data|sets?|models?|pipelines?|grounds?|pitch\w*|kit|camps?|instructors?"
        r"|managers?|coordinators?|officers?|fees)",
    ),
    rule(
        "learning_environment",
        r"programmes?|programs?",
        requires=r"learn\w*|train\w*|develop\w*|supported|coach\w*|mentor\w*|skills|qualif\w*"
        r"|graduates?|early career|first year",
        before=r"(?:you deliver|delivering|you give|giving|you run|you provide)",
    ),
    rule(
        "learning_environment",
        r"\w*academy|academies",
        after=r"(?:is|are|has|was|in|,|awards?|nominations?|pitch\w*|teams?|players?|squads?"
        r"|trusts?|financial|schools?)",
        unless=ACADEMY_ELSEWHERE,
    ),
    rule(
        "knowledge_sharing",
        r"(?:share|sharing|shares) <3>(?:knowledge|expertise|materials?|experiences?|ideas|insights"
        r"|lessons|practice|what works|what worked"
        r"|what (?:they|we|you) (?:learn|learned|learnt|know))",
        before=rf"(?:{_LEADERS}|principal|partners?|owners?)(?: \w+)?",  # leaders: leader_example
    ),
    rule(
        "knowledge_sharing",
        r"(?:share|sharing|shares) <3>(?:tips|cases|calls|stories|tricks)",
        requires=r"team|colleagues|each other|one another|peers|huddles?|meetings?|lunch\w*"
        r"|together",
        before=rf"(?:{_LEADERS}|principal|partners?|owners?)(?: \w+)?",
    ),
    rule(
        "knowledge_sharing",
        r"knowledge[- ]sharing|lunch (?:&|and|'n') learns?|brown[- ]bag|(?:teach|coach) each other",
        r"chapters? (?:meet|meets|meeting|meetings)",
        r"tech talks?|communit(?:y|ies) of practice|(?<!&\s)(?<!and\s)guilds?"
        r"|peer (?:learning|reviews?|coaching|support|feedback)|code reviews?"
        r"|pair(?:ed)? program(?:ming)?|pairing",
        r"journal clubs?|reflective practice|(?:learn|learning) (?:from|with) (?:each other"
        r"|one another|colleagues|peers)|each other's (?:lessons|classes|work)",
        r"internal <3>conferences?|hackathons?|meetups?|study groups?|intervision|peer groups?",
        r"(?:learn|learning|study|studying) together|demo days?|show what (?:they|we|you)(?:'ve"
        r"| have)? <2>learn\w*|(?:group |team )?case (?:discussions?|reviews?|conferences?)",
        r"knowledge exchange|show (?:and|&|'n') tell|(?:reading|book) (?:groups?|clubs?)"
        r"|group supervision|round ?tables?|case calls?|lunchtime sessions?"
        r"|(?:anyone|everyone) can present|shared (?:playbook|wiki|knowledge ?base)"
        r"|walks? <5>through how|steal (?:their|each other's) ideas|picked up on"
        r"|(?:someone|one of us|a colleague) presents",
        r"swap\w* <4>(?:tips|tricks|ideas|models|notes|experiences|stories|mistakes|lessons"
        r"|what)|talk through <3>(?:trick|difficult|hard|tough)\w*",
        r"(?:whole|entire) (?:team|brigade|staff|department|ward|crew) <4>(?:discuss\w*|shares?"
        r"|sharing|learns?|reflects?|reviews?)|reflect on (?:our |their )?practice",
        r"(?:training|sessions?|teaching|talks?|workshops?|programmes?|programs?) <4>(?:run|given"
        r"|led|delivered|taught|hosted) by (?:our own|our|fellow|other) \w+",
    ),
)
