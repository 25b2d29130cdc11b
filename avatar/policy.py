"""Guardrails: small rules over the fan's message (input) and the model's text (output).

Every rule returns :class:`Verdict` objects — ``rule`` (what), ``action`` (what happens)
and ``reason`` (a fixed sentence: never the fan's words, so verdicts can be logged)::

    check_input(message, rules)            -> [Verdict]   before the model runs
    check_output(text, rules, sources)     -> OutputCheck  after it, sentence by sentence

Input actions, strongest first: ``crisis`` (fixed crisis-resource reply + handoff),
``escalate`` (handoff to the creator, honest "the creator will see this" reply),
``refuse`` (a fixed template, the model is not asked), ``instruct`` (one extra rule line in
the prompt). Output actions: ``remove`` (the sentence goes) — when nothing is left the whole
reply becomes a safe template.

Matching reads :func:`avatar.truth.normalize_for_detection` (look-alike letters, zero-width
characters, leetspeak and spacing undone). Phrasings cover English plus common ones in
Spanish, French, German and Chinese. The rules lean toward flagging: a false alarm costs a
sentence, a miss can cost a fan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .truth import normalize_for_detection

_STRENGTH = {"crisis": 4, "escalate": 3, "refuse": 2, "instruct": 1, "remove": 1}


@dataclass(frozen=True)
class Verdict:
    """One rule's decision. ``reason`` is fixed text (safe to log)."""

    rule: str
    action: str
    reason: str
    side: str = "input"

    @property
    def event(self) -> str:
        return f"guard:{self.side}:{self.rule}:{self.action}"


@dataclass(frozen=True)
class Rules:
    """What the creator allows, from ``[guardrails]`` and ``[boundaries]``."""

    creator_name: str = ""
    allow_advice: tuple[str, ...] = ()
    never_invent: tuple[str, ...] = ("prices", "dates", "personal details")
    known_facts: str = ""            # the bio: claims it supports are not "invented"
    verbatim_words: int = 12         # this many words in a row copied from a post = a copy


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# ---- input rules ------------------------------------------------------------------------------
_CRISIS_BY_LANG = {
    "en": _rx(r"\b(kill|harm|cut) (myself|my self)\b",
              r"\b(want|wanna|going|gonna|plan|planning|thinking about|thought about|might) (to )?hurt (myself|my self)\b", r"\bsuicid", r"\bend (it all|my life)\b",  # noqa: E501
              r"\b(want|wanna|going) to die\b", r"\bdon'?t want to (live|be alive|be here anymore)\b",
              r"\bno reason to live\b", r"\bbetter off dead\b", r"\bself[- ]?harm"),
    "es": _rx(r"\bquiero (morir|matarme)\b", r"\bsuicidarme\b", r"\bme quiero matar\b"),
    "fr": _rx(r"\bje veux (mourir|me tuer)\b", r"\bme suicider\b"),
    "de": _rx(r"\bich will (sterben|mich umbringen)\b", r"\bmich umbringen\b", r"\bselbstmord\b"),
    "zh": _rx(r"想死", r"自杀", r"自殺", r"不想活", r"轻生"),
}
_CRISIS = _rx(*(rx.pattern for rx in _CRISIS_BY_LANG.values()))
_LEGAL = _rx(
    r"\b(sue|suing|sued) (you|u)\b", r"\bmy (lawyer|attorney|solicitor)\b", r"\blegal action\b",
    r"\bcease and desist\b", r"\b(see|take) you to court\b", r"\bdefamation\b", r"\blawsuit\b",
    r"\bmi abogado\b", r"\bdemandar(te|le)\b", r"\bmon avocat\b", r"\bporter plainte\b",
    r"\bmein anwalt\b", r"\b(dich|sie) verklagen\b", r"\banzeige erstatten\b",
    r"律师", r"起诉", r"告你")
_BUSINESS = _rx(
    r"\bsponsor(ship|ed post)?\b", r"\bbrand (deal|partnership|collab)", r"\bpartnership\b",
    r"\bcollab(oration)?\b.*\b(brand|company|business|paid)\b", r"\bbusiness (inquiry|enquiry|proposal)\b",
    r"\bpress (inquiry|enquiry)\b", r"\bmedia kit\b", r"\byour (agent|manager)\b",
    r"\bpatrocinio\b", r"\bcolaboracion (comercial|pagada)\b", r"\bpartenariat\b",
    r"\bkooperationsanfrage\b", r"\bwerbepartner", r"商务合作", r"赞助", r"品牌合作")
_WANTS_CREATOR = _rx(
    r"\b(talk|speak|chat) (to|with) (the )?(real|actual) (you|{name}|person|human)\b",
    r"\b(talk|speak|chat) (to|with) (a|an actual|a real) (human|person)\b",
    r"\bcan {name} (herself|himself|themselves|personally|read|see|answer)\b",
    r"\b(talk|speak|chat|write) (to|with) {name} (herself|himself|themselves|personally|in person|directly)\b",
    r"\b(is|will) {name} (read|see) (this|my)\b", r"\bget {name} to (reply|answer|read)\b",
    r"\bpass (this|it) (on )?to {name}\b",
    r"\bhablar con {name}\b", r"\bparler (a|avec) {name}\b", r"\bmit {name} (selbst )?sprechen\b",
    r"找{name}本人", r"和本人说", r"真人客服")
_OFFER_MONEY = _rx(
    r"\b(send|give|pay|tip|venmo|paypal) (you|u)\b.*(\b(money|cash|gift|bucks|dollars|pounds|euros)\b|[$£€¥] ?\d)",
    r"\bcan i (send|buy) you (a )?(gift|present|something)\b", r"\bwhat'?s your (paypal|venmo|cashapp|iban|bank)\b",
    r"\b(crypto|bitcoin|btc|eth) (wallet|address)\b", r"\bgift ?card\b",
    r"\bte (envio|mando) dinero\b", r"\bje t'?envoie de l'?argent\b", r"\bich schicke dir geld\b",
    r"给你转账", r"打赏", r"红包")
_MOVE_APP = _rx(
    r"\b(telegram|whatsapp|whats app|snapchat|snap|signal app|on signal|wechat|kik|discord|line app|viber)\b"
    r".*\b(add|message|text|dm|talk|chat|number|id|handle|username|move|switch|join)\b",
    r"\b(add|message|text|dm|talk|chat|move|switch|join|number|id)\b.*"
    r"\b(telegram|whatsapp|whats app|snapchat|signal app|on signal|wechat|kik|discord|viber)\b",
    r"\byour (phone|mobile|cell|personal) number\b", r"\bwhat'?s your number\b(?! one)",
    r"\bprivate (chat|app|account)\b",
    r"加(我|你)?微信", r"微信号", r"私聊")
_ROMANCE_IN = _rx(
    r"\bi love you\b(?! ?r? (videos|posts|content|work|page|channel))", r"\bdo you (love|miss) me\b",
    r"\bbe my (girlfriend|boyfriend|partner|wife|husband)\b", r"\bmarry me\b",
    r"\bdate me\b", r"\bwill you go out with me\b",
    r"\bte quiero\b(?! (decir|preguntar|contar|pedir|ensenar|mostrar))", r"\bte amo\b", r"\bje t'?aime\b", r"\bich liebe dich\b", r"我爱你", r"做我(女|男)朋友")
_IMPERSONATE_IN = _rx(
    r"\b(pretend|act|roleplay|role-play) (to be|as if you (are|were)|as|like) "
    r"(?!{name}\b)(a |an )?[a-z]+ [a-z]+\b",
    r"\bimpersonate\b", r"\bhaz como si fueras\b", r"\bfais semblant d'?etre\b", r"\btu so, als ob du\b",
    r"假装你是", r"扮演")
_ADVICE_IN = {
    "medical": _rx(r"\b(medication|meds|medicine|pills?|dose|dosage|prescription|antibiotic|"
                   r"painkiller|ibuprofen|diagnos\w*|symptoms?)\b", r"\bis (it|this) (serious|cancer|broken)\b",
                   r"\bshould i see a doctor\b", r"\bmedicamento\b", r"\bmedicament\b",
                   r"\bmedikament", r"吃药", r"药"),
    "legal": _rx(r"\b(is it legal|illegal|lawyer|attorney|contract|sue|lawsuit|custody|visa)\b",
                 r"\b(es legal|c'?est legal|ist das legal)\b", r"合法", r"法律"),
    "financial": _rx(r"\b(invest(ing|ment)?|stocks?|shares|crypto|bitcoin|etf|pension|mortgage|"
                     r"loan|tax(es)?)\b", r"\binvertir\b", r"\binvestir\b", r"\binvestieren\b",
                     r"投资", r"股票", r"理财"),
}


def check_input(message: str, rules: Rules) -> list[Verdict]:
    """Verdicts for a fan message, strongest action first (empty list: nothing to do)."""
    norm = normalize_for_detection(message)
    raw = message.casefold()
    name = _name_pattern(rules.creator_name)
    found: list[Verdict] = []

    def hit(rx: re.Pattern[str], rule: str, action: str, reason: str) -> None:
        if rx.search(norm) or rx.search(raw):
            found.append(Verdict(rule, action, reason))

    hit(_CRISIS, "crisis", "crisis", "the message mentions self-harm or suicide")
    hit(_LEGAL, "legal-threat", "escalate", "the message threatens or mentions legal action")
    hit(_BUSINESS, "business", "escalate", "a business or sponsorship inquiry")
    hit(_with_name(_WANTS_CREATOR, name), "wants-creator", "escalate",
        "the fan asks for the creator in person")
    hit(_OFFER_MONEY, "money", "refuse", "the fan offers money, gifts or payment")
    hit(_MOVE_APP, "off-platform", "refuse", "the fan asks to move to another app or for contact details")
    hit(_ROMANCE_IN, "romance", "refuse", "a romantic request the avatar must not play along with")
    hit(_with_name(_IMPERSONATE_IN, name), "impersonation", "refuse",
        "the fan asks the avatar to speak as someone else")
    for domain, rx in _ADVICE_IN.items():
        if domain not in rules.allow_advice:
            hit(rx, f"advice:{domain}", "instruct", f"the fan may be asking for {domain} advice")
    return sorted(found, key=lambda v: -_STRENGTH[v.action])


CRISIS_REPLIES = {
    "en": ("I'm {name}'s AI avatar, and I'm really glad you told me. Please reach out to someone "
           "now: call your local emergency number if you're in danger, or a crisis line — "
           "Samaritans 116 123 (UK & Ireland), 988 (US), or findahelpline.com for other "
           "countries. I've flagged your message so {name} sees it."),
    "es": ("Soy el avatar de IA de {name} y me alegra que me lo cuentes. Por favor, habla con "
           "alguien ahora: llama al número de emergencias si estás en peligro, o busca una línea "
           "de ayuda en findahelpline.com (en España, el 024). He avisado a {name}."),
    "fr": ("Je suis l'avatar IA de {name} et je suis content que tu m'en parles. Contacte "
           "quelqu'un maintenant : le numéro d'urgence si tu es en danger, ou le 3114 (France), "
           "ou findahelpline.com ailleurs. J'ai signalé ton message à {name}."),
    "de": ("Ich bin der KI-Avatar von {name} und froh, dass du es sagst. Bitte wende dich jetzt "
           "an jemanden: den Notruf, wenn du in Gefahr bist, die TelefonSeelsorge 0800 111 0 111 "
           "(Deutschland) oder findahelpline.com. Ich habe {name} informiert."),
    "zh": ("我是{name}的人工智能分身，谢谢你愿意说出来。请现在就联系身边的人或专业帮助：如有危险请拨打当地"
           "急救电话，或访问 findahelpline.com 查找心理援助热线。我已把你的消息转给{name}。"),
}


def crisis_reply(message: str, creator_name: str, override: str | None = None) -> str:
    """The fixed crisis-resource reply, in the fan's language when we have one."""
    from .truth import _guess_language
    norm = normalize_for_detection(message)
    lang = next((lang for lang, rx in _CRISIS_BY_LANG.items() if lang != "en" and rx.search(norm)),
                _guess_language(message))
    template = override or CRISIS_REPLIES.get(lang, CRISIS_REPLIES["en"])
    return template.replace("{name}", creator_name)


TEMPLATES = {
    "en": {
        "handoff": "I've passed your message to {name}, who will see it personally. I'm the AI avatar, "
                   "so I can't help with this one myself.",
        "refuse": "I'm {name}'s AI avatar, so that's not something I can do here. Happy to chat about "
                  "{name}'s posts though!",
        "unknown": "I don't know that one for sure, so I won't guess. Check {name}'s posts or website.",
        "safe": "Sorry, I can't help with that one here.",
        "approval": "Thanks! Replies on this channel are checked by {name} before they are sent, so your "
                    "answer will come after that review.",
        "rate": "You're sending messages faster than I can keep up. Give me a minute and try again!",
        "empty": "Sorry, I don't have a good answer to that one right now.",
        "edited": "Reviewed and edited by {name} before sending.",
    },
    "es": {
        "handoff": "He pasado tu mensaje a {name}, que lo verá personalmente. Soy el avatar de IA y no "
                   "puedo ayudarte con esto.",
        "refuse": "Soy el avatar de IA de {name}, así que eso no lo puedo hacer aquí.",
        "unknown": "No lo sé con seguridad, así que prefiero no inventarlo. Mira las publicaciones de {name}.",
        "safe": "Lo siento, con eso no puedo ayudarte aquí.",
        "approval": "¡Gracias! {name} revisa las respuestas de este canal antes de enviarlas; la tuya "
                    "llegará después.",
        "rate": "Estás enviando mensajes muy rápido. Espera un minuto y vuelve a intentarlo.",
        "empty": "Perdona, ahora mismo no tengo una buena respuesta para eso.",
        "edited": "Revisado y editado por {name} antes de enviarlo.",
    },
    "fr": {
        "handoff": "J'ai transmis ton message à {name}, qui le lira personnellement. Je suis l'avatar IA "
                   "et je ne peux pas t'aider là-dessus.",
        "refuse": "Je suis l'avatar IA de {name}, je ne peux pas faire ça ici.",
        "unknown": "Je ne le sais pas avec certitude, donc je préfère ne pas inventer. Regarde les posts "
                   "de {name}.",
        "safe": "Désolé, je ne peux pas t'aider avec ça ici.",
        "approval": "Merci ! {name} relit les réponses de ce canal avant l'envoi ; la tienne arrivera "
                    "ensuite.",
        "rate": "Tu envoies des messages très vite. Attends une minute et réessaie.",
        "empty": "Désolé, je n'ai pas de bonne réponse à ça pour le moment.",
        "edited": "Relu et modifié par {name} avant l'envoi.",
    },
    "de": {
        "handoff": "Ich habe deine Nachricht an {name} weitergegeben, {name} liest sie persönlich. Ich "
                   "bin der KI-Avatar und kann hier nicht selbst helfen.",
        "refuse": "Ich bin der KI-Avatar von {name}, das kann ich hier nicht machen.",
        "unknown": "Das weiß ich nicht sicher, also rate ich nicht. Schau in die Beiträge von {name}.",
        "safe": "Tut mir leid, dabei kann ich hier nicht helfen.",
        "approval": "Danke! {name} prüft die Antworten in diesem Kanal vor dem Senden; deine kommt danach.",
        "rate": "Du schreibst gerade sehr schnell. Warte eine Minute und versuch es dann noch einmal.",
        "empty": "Sorry, darauf habe ich gerade keine gute Antwort.",
        "edited": "Vor dem Senden von {name} geprüft und bearbeitet.",
    },
    "zh": {
        "handoff": "我已把你的消息转给{name}，{name}会亲自查看。我是人工智能分身，这件事我没法直接帮你。",
        "refuse": "我是{name}的人工智能分身，这个我在这里做不到。",
        "unknown": "这个我不确定，就不乱说了。可以看看{name}发布的内容。",
        "safe": "抱歉，这个我在这里帮不上忙。",
        "approval": "谢谢！这个频道的回复会先由{name}审核再发送，请稍等。",
        "rate": "你发消息太快啦，请等一分钟再试。",
        "empty": "抱歉，这个问题我现在还答不上来。",
        "edited": "本回复由{name}审阅并修改后发送。",
    },
    # languages with only some replies translated; the others fall back to English
    "pt": {"empty": "Desculpa, agora não tenho uma boa resposta para isso."},
    "it": {"empty": "Scusa, al momento non ho una buona risposta."},
    "ja": {"empty": "ごめんなさい、今はうまく答えられません。"},
}


def template(kind: str, language: str, override: str | None = None) -> str:
    """A fixed reply: the creator's ``override`` or the built-in one for ``language``
    (English where that language has no translation of ``kind``)."""
    if override:
        return override
    table = TEMPLATES.get(language.split("-")[0].lower(), {})
    return table.get(kind) or TEMPLATES["en"][kind]


ADVICE_NOTES = {
    "medical": "The fan may be asking for medical advice: do not give any; suggest a doctor, GP or physio.",
    "legal": "The fan may be asking for legal advice: do not give any; suggest a qualified lawyer.",
    "financial": "The fan may be asking for financial advice: do not give any; suggest a qualified adviser.",
}


def _name_pattern(name: str) -> str:
    words = [re.escape(normalize_for_detection(w)) for w in name.split() if w]
    if not words:
        return r"(?!x)x"
    return "(?:" + "|".join([" ".join(words), *words]) + ")"


def _with_name(rx: re.Pattern[str], name: str) -> re.Pattern[str]:
    return re.compile(rx.pattern.replace("{name}", name))


# ---- output rules -----------------------------------------------------------------------------
_MONEY_OUT = _rx(
    r"\b(send|give|pay|tip|donate|transfer|venmo|paypal) (me|us) (some |a |an |the |your )?"
    r"(money|cash|gift|gifts|tip|tips|payment|crypto|bitcoin|btc|\d|[$£€¥])",
    r"\bbuy me (a |an |some )?(coffee|drink|gift|present|lunch|dinner)\b",
    r"\b(paypal|venmo|cash ?app|patreon|ko-?fi|onlyfans|iban|sort code|bank details)\b",
    r"\b(crypto|bitcoin|btc|ethereum|eth|usdt|wallet address)\b", r"\bgift ?cards?\b",
    r"\b(donation|donate)\b", r"\bmandame dinero\b", r"\benvoie(-| )moi de l'?argent\b",
    r"\bschick mir geld\b", r"转账给我", r"打赏", r"红包")
_PAY_LINK = re.compile(r"(paypal\.me|venmo\.com|cash\.app|ko-fi\.com|buymeacoffee\.com|"
                       r"patreon\.com|revolut\.me|wise\.com/pay|t\.me/|wa\.me/)", re.I)
_APP_OUT = _rx(r"\b(telegram|whatsapp|whats app|snapchat|signal app|wechat|kik|discord|viber|line app)\b",
               r"\bmy (phone|mobile|cell|whatsapp) number\b", r"\bmy number is\b", r"\b(text|call) me (on|at)\b",
               r"微信", r"电报")
_ROMANCE_OUT = _rx(
    r"\bi (really )?miss(ed)? you\b", r"\bonly you (understand|get) me\b",
    r"\byou'?re the only one (who|that)\b", r"\bi love you\b", r"\bi need you\b(?! to)",
    r"\bdon'?t (leave|go) me\b", r"\bplease don'?t leave\b", r"\bi('ve| have) been thinking about you\b",
    r"\bi('ll| will) be (lonely|sad) without you\b", r"\bwe('re| are) meant to be\b",
    r"\bte (extrano|echo de menos)\b", r"\bsolo tu me entiendes\b", r"\btu me manques\b",
    r"\btoi seul(e)? me comprends\b", r"\bich vermisse dich\b", r"\bnur du verstehst mich\b",
    r"我(好)?想你了|我好想你", r"只有你懂我", r"我爱你", r"别离开我")
_IDENTITY_OUT = re.compile(
    r"\bi(?: am|'m) (?:a |an )?(?:qualified |licensed |certified |board-certified )?"
    r"(?P<what>doctor|physician|surgeon|nurse|lawyer|attorney|solicitor|accountant|financial adviser|"
    r"financial advisor|therapist|psychologist|millionaire|billionaire|professor|dietitian|"
    r"physio(?:therapist)?|olympi\w+|world champion|[a-z]+ citizen)\b"
    r"|\bi (?:have|hold|got|earned) (?:a |an )?(?P<cred>phd|doctorate|medical degree|law degree|"
    r"masters?|degree in [a-z]+)\b"
    r"|\bi(?: am|'m) (?:from|originally from|a native of) (?P<place>[a-z]+)\b"
    r"|\bi was born in (?P<born>[a-z]+)\b"
    r"|\bi(?: am|'m) (?P<nat>american|british|english|scottish|irish|nigerian|ghanaian|swedish|"
    r"norwegian|danish|german|french|spanish|italian|chinese|japanese|korean|indian|canadian|"
    r"australian|brazilian|mexican)\b"
    r"|\bi(?: am|'m) (?P<rich>rich|wealthy|loaded)\b|\bi (?:own|have) (?P<owns>(?:a|two|three|several) "
    r"(?:houses|mansions?|ferraris?|yachts?|private jet|lamborghinis?))\b")
_ADVICE_OUT = {
    "medical": _rx(r"\btake \d+ ?(mg|ml|milligrams|pills?|tablets?)\b",
                   r"\b(stop|start|double|skip) (taking )?(your|the) (meds|medication|pills?|dose)\b",
                   r"\byou (probably |likely |definitely )?have (a |an )?[a-z]+ ?(tear|fracture|"
                   r"disorder|infection|condition|syndrome)\b", r"\b(i diagnose|my diagnosis)\b",
                   r"\byou don'?t need (a|to see a) (doctor|gp|physio)\b"),
    "legal": _rx(r"\byou should (sue|file a (claim|lawsuit)|take legal action)\b",
                 r"\blegally,? you (can|can'?t|must|should)\b", r"\byou (will|would) win (the|your|in) (case|court)\b",
                 r"\bthat'?s (not )?(legal|illegal) (for|to)\b"),
    "financial": _rx(r"\byou should (invest|buy|sell) (in )?\w*", r"\b(invest|put your (money|savings)) in\b",
                     r"\bguaranteed (returns?|profit)\b", r"\bbuy (crypto|bitcoin|stocks?|shares)\b",
                     r"\bit'?s a (safe|great|good) investment\b"),
}
_IMPERSONATE_OUT = re.compile(r"\b(?:[Ii] am|[Ii]'m|[Ss]peaking as|[Ii]t's me,?)\s+(?P<who>[A-Z][a-z]+ [A-Z][a-z]+)\b"
                              r"|\b[Tt]his is (?P<who2>[A-Z][a-z]+ [A-Z][a-z]+),? (?:here|speaking)\b")

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_INVENT = {
    "prices": re.compile(r"[£$€¥]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:pounds|quid|dollars|bucks|euros|usd|gbp|eur|"
                         r"per month|a month|/month)(?![a-z])|\d+\s?(?:元|块)"),
    "dates": re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS})\b|\b(?:{_MONTHS}) \d{{1,2}}"
                        rf"(?:st|nd|rd|th)?\b|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|\b(?:19|20)\d\d\b|"
                        r"\b(?:next|this|on) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
                        r"\d+月\d+(?:日|号)"),
    "personal details": re.compile(
        r"\bmy (?:husband|wife|partner|boyfriend|girlfriend|son|daughter|kids?|children|mum|mom|dad|"
        r"brother|sister|address|phone number|birthday|salary)\b"
        r"|\bi live (?:at|on|in) [a-z0-9]+(?: [a-z0-9]+)?|\bi(?: am|'m) \d+ (?:years old)?\b"),
}
_UNSUPPORTED_CUE = re.compile(r"[\w£$€¥/]+(?: \w+)?")


@dataclass
class OutputCheck:
    """The checked text: ``text`` keeps every sentence that passed; ``verdicts`` say why
    others went. ``unknown`` is True when an invented fact was dropped."""

    text: str
    verdicts: list[Verdict] = field(default_factory=list)
    unknown: bool = False


_SENTENCE = re.compile(r"[^\n]+?(?:[.!?…]+[\"'”’)]*(?=\s|$)|[。！？]+[\"'”’)」]*|$)", re.M)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` (terminal punctuation or newline ends one)."""
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def check_output(text: str, rules: Rules, sources: Sequence[str] = ()) -> OutputCheck:
    """Drop each sentence that breaks a rule; ``sources`` are the retrieved posts."""
    support = _support_text(rules, sources)
    kept: list[str] = []
    verdicts: list[Verdict] = []
    unknown = False
    for start, end in sentences(text):
        sentence = text[start:end]
        found = check_sentence(sentence, rules, support, sources)
        if found:
            verdicts += [Verdict(v.rule, v.action, v.reason, "output") for v in found]
            unknown = unknown or any(v.rule.startswith("invented:") for v in found)
        else:
            kept.append(sentence)
    return OutputCheck(" ".join(kept), verdicts, unknown)


def _support_text(rules: Rules, sources: Iterable[str]) -> str:
    joined = " \n ".join([rules.known_facts, *sources])
    return _plain(joined) + "\n" + normalize_for_detection(joined)


def _plain(text: str) -> str:
    """Light normalisation for numbers and dates (leetspeak undoing would turn "3rd" into "erd")."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def check_sentence(sentence: str, rules: Rules, support: str, sources: Sequence[str] = ()) -> list[Verdict]:
    """The verdicts for one output sentence (empty: it may be shown)."""
    norm = normalize_for_detection(sentence)
    low = sentence.casefold()
    out: list[Verdict] = []
    if _MONEY_OUT.search(norm) or _PAY_LINK.search(sentence):
        out.append(Verdict("money", "remove", "asks the fan for money, gifts or payment"))
    if _APP_OUT.search(norm) or _PAY_LINK.search(sentence) and re.search(r"t\.me/|wa\.me/", low):
        out.append(Verdict("off-platform", "remove", "moves the fan to another app or contact"))
    if _ROMANCE_OUT.search(norm):
        out.append(Verdict("romance", "remove", "romantic or emotional manipulation"))
    out += _identity(norm, support)
    for domain, rx in _ADVICE_OUT.items():
        if domain not in rules.allow_advice and rx.search(norm):
            out.append(Verdict(f"advice:{domain}", "remove", f"gives {domain} advice the creator does not allow"))
    out += _impersonation(sentence, rules.creator_name)
    out += _invented(_plain(sentence), rules, support)
    if not _quoted(sentence) and copies_source(sentence, sources, rules.verbatim_words):
        out.append(Verdict("verbatim", "remove", "copies a post word for word without quoting it"))
    return out


def _identity(norm: str, support: str) -> list[Verdict]:
    for m in _IDENTITY_OUT.finditer(norm):
        claim = next(v for v in m.groupdict().values() if v)
        if not _supported(claim, support):
            return [Verdict("identity", "remove", "claims an identity, nationality, credential or wealth "
                            "the creator's posts do not support")]
    return []


def _impersonation(sentence: str, creator: str) -> list[Verdict]:
    allowed = {w.casefold() for w in creator.split()}
    for m in _IMPERSONATE_OUT.finditer(sentence):
        who = (m.group("who") or m.group("who2")).split()
        if not allowed & {w.casefold() for w in who}:
            return [Verdict("impersonation", "remove", "speaks as another real person")]
    return []


def _invented(norm: str, rules: Rules, support: str) -> list[Verdict]:
    out = []
    for kind in rules.never_invent:
        rx = _invent_rule(kind)
        if rx is None:
            continue
        for m in rx.finditer(norm):
            if not _supported(m.group(), support):
                out.append(Verdict(f"invented:{kind}", "remove",
                                   f"states {kind} that the retrieved posts do not support"))
                break
    return out


def _invent_rule(kind: str) -> re.Pattern[str] | None:
    """``never_invent`` entries map to a fact pattern by keyword: "release dates" -> dates,
    "ticket prices" -> prices, "personal details" -> personal details; others only reach
    the prompt."""
    low = kind.lower()
    for word, key in (("price", "prices"), ("cost", "prices"), ("date", "dates"), ("personal", "personal details")):
        if word in low:
            return _INVENT[key]
    return None


def _supported(fact: str, support: str) -> bool:
    """A fact is supported when its numbers and words all appear in a retrieved post/bio."""
    pieces = re.findall(r"\d+|[^\W\d_]{3,}", fact)
    return bool(pieces) and all(p in support for p in pieces)


def _quoted(sentence: str) -> bool:
    return bool(re.search(r"[\"“«「].{12,}[\"”»」]", sentence))


def copies_source(sentence: str, sources: Sequence[str], words: int) -> bool:
    """True when ``sentence`` shares ``words`` or more consecutive words with a source."""
    mine = _words(sentence)
    if len(mine) < words or words <= 0:
        return False
    grams = {tuple(mine[i:i + words]) for i in range(len(mine) - words + 1)}
    for src in sources:
        theirs = _words(src)
        if any(tuple(theirs[i:i + words]) in grams for i in range(len(theirs) - words + 1)):
            return True
    return False


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", normalize_for_detection(text))
