"""The words of contact (annals.contacts) and the words around them: what links people in a sentence,
what makes a clause unsure, what a title or a list is made of. Every pattern is bounded: no quantifier can
run further than a few dozen characters, so that a sentence of 100 KB is read in time linear in its length."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """Words of contact: `form` says where its people stand (see contacts_of_rule); `prep` what must stand
    between the words and their object; `alone` whether a subject of two people is a contact without one."""

    kind: str
    form: str
    pattern: str
    prep: str = ""
    alone: bool = False
    after: str = ""  # what must follow the object ("sent B a message")


MESSAGE = r"(?:messages?|greetings?|congratulations|condolences|letters?|telegrams?|sympathy)"
PHONE = r"(?:tele)?phone\s+(?:conversations?|calls?|talks)"
RULES = (
    Rule("message", "verb", r"received\s+(?:an?\s+|the\s+|his\s+)?(?:[\w’'-]+\s+){0,3}?" + MESSAGE + r"\s+from"),
    Rule("message", "verb", r"(?:sent|sends|conveyed|conveys|extended|extends|expressed|expresses|offered|offers|"
         r"addressed|addresses|passed\s+on|forwarded)\s+(?:[\w’',-]+\s+){0,8}?" + MESSAGE
         + r"(?:\s+(?:of|on|for|over)\s+[^,.;:“”\"]{1,80}?)?\s+to"),
    Rule("message", "verb", r"(?:sent|sends)", after=r"\s+(?:an?|his|her|their)\s+(?:[\w’'-]+\s+){0,3}?" + MESSAGE),
    Rule("message", "verb", r"(?:congratulated|congratulates|wished|wrote\s+to|writes\s+to)"),
    Rule("message", "implied", r"(?:[Gg]reetings|[Mm]essages?|[Cc]ongratulations|[Cc]ondolences|[Tt]elegrams?|"
         r"[Ll]etters?)(?:\s+of\s+\w+)?\s+(?:(?:have|has|had)\s+(?:also\s+)?been|(?:was|were)(?:\s+also)?)\s+"
         r"(?:sent\s+to|received\s+from)"),
    Rule("telephone", "verb", r"(?:spoke|speaks|talked|talks)\s+(?:by|on\s+the|over\s+the)\s+(?:tele)?phone",
         r"with", alone=True),
    Rule("telephone", "verb", r"(?:had|has|held|holds|conducted)\s+(?:an?\s+|their\s+)?(?:[\w-]+\s+){0,2}?" + PHONE,
         r"with", alone=True),
    Rule("telephone", "verb", r"(?:telephoned|phoned)"),
    Rule("telephone", "verb", r"received\s+an?\s+(?:tele)?phone\s+call\s+from"),
    Rule("talks", "verb", r"(?:held|holds|had|has|conducted)\s+(?:[\w-]+\s+){0,2}?(?:talks|negotiations)",
         r"with", alone=True),
    Rule("talks", "verb", r"talked\s+one[\s-](?:on|to)[\s-]one", r"with", alone=True),
    Rule("meeting", "verb", r"(?:had|has|held|holds)\s+(?:an?\s+|their\s+|the\s+)?(?:[\w-]+\s+){0,3}?meetings?",
         r"with", alone=True),
    Rule("meeting", "verb", r"(?:met|meets|has\s+met|have\s+met)(?:\s+separately)?", r"(?:with)?", alone=True),
    Rule("meeting", "verb", r"(?:received|welcomed|hosted|greeted)"),
    Rule("meeting", "passive", r"(?:was|were|has\s+been|had\s+been)\s+(?:met|welcomed|received|greeted|joined)"
         r"(?:\s+[^,.;:“”\"]{1,60}?)?\s+by"),
    Rule("summit", "list", r"(?:(?:was|were|is|are)\s+attended\s+by|[Pp]articipants\s+(?:included|were|are)|"
         r"[Tt]aking\s+part(?:\s+in\s+[^,.;:“”\"]{1,60}?)?\s+(?:were|are))(?:\s*:)?"),
    Rule("summit", "attend", r"(?:attended|took\s+part\s+in|participated\s+in)"),
    Rule("meeting", "between", r"(?:meetings?|talks|negotiations|" + PHONE + r"|conversations?|summit)\s+"
         r"(?:(?:has|have|had)\s+been\s+held\s+|(?:was|were)\s+held\s+|took\s+place\s+)?between"),
    Rule("message", "in", r"(?:In|During)\s+(?:his|her|their|an?|the)\s+(?:[\w’'-]+\s+){0,6}?"
         r"(?:" + MESSAGE + r"|" + PHONE + r"|conversations?)"
         r"(?:\s+(?:of|on|for)\s+[^,.;:“”\"]{1,80}?)?\s+(?:to|with)"),
    Rule("talks", "weak", r"(?:discussed|exchanged\s+(?:views|opinions)|held\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?"
         r"discussions?)"),
    Rule("meeting", "title", r"(?:[Mm]eetings?|[Tt]alks|[Nn]egotiations|(?:[Tt]ele)?[Pp]hone\s+(?:conversations?|"
         r"calls?|talks)|[Cc]onversations?|[Gg]reetings?|[Cc]ongratulations|[Cc]ondolences|[Mm]essages?|[Ll]etters?|"
         r"[Tt]elegrams?)(?:\s+of\s+(?:greetings?|congratulations?|condolences?|sympathy))?",
         r"(?:with|to)"),
)
WORDS = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<r{i}>{r.pattern})" for i, r in enumerate(RULES)) + r")(?![\w-])")
# The kind a noun of contact gives, the first that its words hold: "Conversation with ..." alone is face to face.
NOUN_KIND = (("greeting", "message"), ("congratulat", "message"), ("condolence", "message"), ("message", "message"),
             ("letter", "message"), ("telegram", "message"), ("phone", "telephone"), ("conversation", "meeting"),
             ("talks", "talks"), ("negotiations", "talks"), ("summit", "summit"), ("meeting", "meeting"))
# A word of doubt before the object: the clause does not record a contact that took place.
DOUBT = re.compile(r"\b(?:will|would|shall|could|should|might|may|must|plans?|planned|planning|intends?|intended|"
                   r"expected|expects|scheduled|upcoming|forthcoming|propos\w*|possible|possibly|next|future|not|"
                   r"never|no|nor|cannot|unable|cancel\w*|postpone\w*|invit\w*|hopes?|hoped|hoping|prepar\w*|absent|"
                   r"instead|wants?|ready|agreed|that|said|says|say|noted|notes|recalled|recalls|remembered|"
                   r"remembers|reminded|told|tells|according|who|whom|whose|which|when|whenever|whether|if|unless|"
                   r"once|until|late|reportedly|allegedly|supposedly|apparently|presumably|probably|likely)\b|n't|"
                   r"[“”\"«»]|\b(1[89]\d\d|20\d\d)\b")
# Anywhere in a sentence, these date what it tells away from the document's day ("... met in 1999", "... two
# years ago"): a meeting, a call, talks or a summit so told is a memory, not this day's record (a year counts
# only if it is not the document's).
ELSEWHEN = re.compile(r"\b(?:(?:last|next)\s+(?:week|month|year|summer|autumn|winter|spring|time)|ago|previously|"
                      r"in\s+the\s+past|tomorrow|(1[89]\d\d|20\d\d))\b")
INTRO = frozenset("""In At On During After Before Following Earlier Later Also Then Today Yesterday Afterwards
    Meanwhile Subsequently Separately Upon Over Finally""".split())
NOT_TITLE = INTRO | frozenset("With To And For By From As Of When While".split())
TITLE_LOWER = frozenset("of the first former acting deputy honorary outgoing – - &".split())
ENDS_CLAUSE = frozenset("of by to with for from about on and the a an his her their its whose".split())
SUMMIT_CUE = re.compile(r"\b(?:[Ss]ummits?|heads of state|Heads of State|leaders|trilateral|quadrilateral|"
                        r"multilateral|[Ff]orum|Commonwealth|CIS|SCO|BRICS|G20|G7|G8|CSTO|EAEU|EurAsEC|ASEAN|APEC)\b")
HOSTING = re.compile(r"\b(?:held|holds|chaired|chairs|hosted|hosts|attended|attends|took\s+part|takes\s+part|"
                     r"participated)\b")
EVENT = re.compile(r"\b(?:[Mm]eetings?|[Ss]ummits?|[Tt]alks|[Nn]egotiations|[Cc]ouncil|[Ss]ession|[Ff]orum|"
                   r"[Cc]onference)\b")
OFFICE = re.compile(r"(?<![\w-])(?:(?:First\s+)?Vice-President|President|Prime\s+Minister|Chancellor|"
                    r"[Hh]ead\s+of\s+[Ss]tate|[Ll]eader|King|Queen|Emir)(?![\w-])")
BARE = frozenset({"president", "head of state"})
OF_PLACE = re.compile(r"(?:\s+of\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}){1,3}")
WORD_BEFORE = re.compile(r"(\S+)\s+$")
LAST_WORD = re.compile(r"(\w+)\W*$")
PUNCTUATION = re.compile(r"[,;:()“”\"]")  # never in a title word
POSSESSIVE = re.compile(r"['’]s\b")
NAME_GOES_ON = re.compile(r" ([A-Z][\w’'-]*)")
APPOSED = re.compile(r",?\s*$")
SUBJECT_GAP = re.compile(r"(?:\s*,[^,;:“”\"]{1,80},)?(?:\s+(?:\w+ly|also|then|today|yesterday|earlier|later|"
                         r"again|once again|first|jointly|together|already|subsequently|had|has|have|both))*\s*")
PLACE_PHRASE = r"(?:\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})?"
ELABORATION = re.compile(r",\s*(?:in particular|including|among them|specifically|namely),?\s+")
MEMBER = re.compile(r"\s*(?:(?:the|first|former|acting|deputy|honorary)\s+)?[A-Z][^,;:()“”\"]{0,120}")


@functools.lru_cache(maxsize=16)
def object_gap(prep: str) -> re.Pattern:
    """What may stand between words of contact and their object: a parenthesis, a place, then `prep`."""
    return re.compile(rf"(?:\s*,[^,;:“”\"]{{1,80}},)?{PLACE_PHRASE}\s*{prep}\s+" if prep else r"\s+")


@functools.lru_cache(maxsize=16)
def compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)
