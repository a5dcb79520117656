"""Small word lists that tell names from words: given names, and common English words (lower case)."""
from __future__ import annotations

# Given names, often written before a surname that is also a place ("John Kennedy", "George Washington").
# Words that are mostly something else when capitalised (May, Will, Jordan, Georgia) are left out; the
# archive adds the given names of every person it knows.
GIVEN_NAMES = frozenset("""
    Aaron Abdul Abdullah Abraham Adam Adolf Ahmad Ahmed Alan Albert Alberto Aleksandr Aleksei Alex Alexander
    Alexandra Alexei Alexey Ali Alice Alla Allen Alexis Amanda Amy Anatoly Andre Andrea Andreas Andrei Andrew
    Andrey Angela Ann Anna Anne Anthony Anton Antonio Arkady Arnold Arthur Artur Barack Barbara Benjamin
    Bernard Bill Bob Boris Brian Bruce Carl Carlos Caroline Catherine Charles Chris Christian Christina
    Christopher Claire Claude Daniel Dave David Denis Dennis Dick Dmitri Dmitry Donald Doris Dorothy Douglas
    Edward Elena Elizabeth Ellen Emily Emma Emmanuel Eric Ernest Eugene Evgeny Fedor Felix Fernando Fidel
    Francis Franklin Frank Franz Fyodor Gary Gennady George Georges Gerald Gerhard Giorgi Giuseppe Gleb
    Gregory Grigory Hans Harold Harry Hassan Heinrich Helen Helmut Henry Herbert Howard Hugo Hussein Igor
    Ilya Ivan Jack Jacob Jacques James Jane Janet Jean Jeffrey Jennifer Jerry Jim Jimmy Joan Joe Johann
    John Jonathan Jose Joseph Juan Julia Karl Kate Katherine Kenneth Kevin Konstantin Larry Laura Leo Leon
    Leonid Lev Linda Lisa Louis Lucy Ludwig Lyndon Lyudmila Mahmoud Margaret Maria Marie Marina Mario Mark
    Martin Mary Matthew Maxim Michael Michel Mikhail Mohammed Muhammad Nadezhda Natalia Natalya Nicholas
    Nicolas Nikita Nikolai Nikolay Oleg Olga Oliver Omar Oscar Otto Pablo Patrick Paul Pavel Peter Philip
    Pierre Pyotr Ralph Raymond Richard Robert Roger Roman Ronald Rudolf Ruslan Ryan Samuel Sarah Sebastian
    Sergei Sergey Simon Stanislav Stefan Stephen Steven Susan Svetlana Tatiana Tatyana Theodore Thomas Tim
    Timothy Tony Ulrich Valentina Valentin Valery Vasily Viktor Vincent Vitaly Vladimir Vladislav Walter
    Wilhelm William Winston Yakov Yelena Yevgeny Yuri Yury Zbigniew
    """.split())

# Common English words, in lower case. A one-word topic that is one of them ("Energy") is linked only as
# written, capitalised; a capitalised one after a place ("Jordan Valley") is not a surname. The list need
# not be complete: a common word missing from it only links its topic in lower case too.
COMMON_WORDS = frozenset("""
    ability access account action activity administration affairs age agency agenda agreement agriculture
    aid air aircraft airport alliance analysis animal anniversary answer approach architecture area army
    art article arts assembly assistance association atom attention authority automotive aviation award
    bank banking base basis battle bay beach bill biology blood board body bond border bridge budget
    building business cabinet call campaign capital car care career case cathedral cause center central
    centre century chamber championship change channel charity chemistry child children choice church
    circle citizen citizens city civil class climate club coal coast code college combat commerce
    commission committee common communication communications community company competition computer
    concept conference conflict congress constitution construction consumer contract control convention
    cooperation corporation corridor council country court crime crisis culture cup currency customs cyber
    data day deal death debt decision declaration decree defence defense democracy department design
    development dialogue diplomacy disarmament disease district doctor document drug east eastern ecology
    economics economy education election elections electricity embassy emergency employment energy
    engineering enterprise environment equality exchange exhibition experience export exports
    fair faith family farm farming federation festival film finance fire fishing flag fleet food football
    force forces foreign forest forestry forum foundation freedom friendship fuel fund future game games
    garden gas general generation geography government grain great green group growth guard hall health
    healthcare heritage higher highway history home hospital house housing human humanitarian ice
    identity immigration import imports independence industry information infrastructure innovation
    innovations institute insurance integration intelligence interior international internet investment
    investments island islands issue job jobs journalism justice keeping kingdom labour labor lake land
    language law leadership league legislation library life literature loan local machine management
    manufacturing map marine maritime market media medicine meeting memorial memory metal migration
    military mine minerals mining ministry mission money monument mountain movement museum music nation
    national nations natural navy network news north northern nuclear ocean office oil olympics order
    organisation organization palace park parliament partnership party peace pension pensions people
    petroleum pharmaceutical pharmaceuticals physics pipeline plan planet plant police policy politics
    port post power press price prices prize production programme program progress project property
    protection province public publishing quality race radio rail railway railways reform reforms refugees
    region regional relations religion republic research reserve resources revolution right rights river
    road roads route rule safety satellite school schools science sciences sea security service services
    settlement shipbuilding shipping social society software south southern sovereignty space sport
    sports square standard state station steel stock strategy street student students summit support
    system taxation tax taxes team technology telecommunications television terrorism textile theatre
    theater tourism tower town trade trading tradition traffic training transit transport transportation
    travel treasury treaty trust union unit united university urban valley veterans victory village
    volunteer volunteers war water weapons weather welfare west western wine women work workers world
    year years youth zone
    """.split())

# Names of places that are given names too: such a place is not one right before a surname ("Georgia
# Meloni", "Israel Katz"), and such a city only after a word of place ("in Charlotte", not "Charlotte said").
PLACE_GIVEN_NAMES = frozenset("Georgia Jordan Chad Israel Charlotte Victoria Florence Sydney Austin Madison".split())

# Words after which a city named like a person (Vladimir) is the city: "in Vladimir", "the mayor of Vladimir".
PLACE_WORDS = frozenset("in into to from near at of around outside via across through towards toward".split())
