# Testun y rhyngwyneb yn Gymraeg. Mae gan bob neges yma efaill yn
# ../en/main.ftl (mae prawf yn cymharu'r allweddi). Nid yw testun adnoddau yma.

## Y gragen

site-name = Arfer Da Llyfrgelloedd
skip-link = Neidio i'r prif gynnwys
nav-main = Prif
nav-search = Chwilio
nav-browse = Pori
nav-moderation = Cymedroli
nav-audit = Cofnod archwilio
nav-my-data = Fy nata
log-out = Allgofnodi
log-in = Mewngofnodi
lang-switch-label = Iaith
footer-about = Arfer da a rennir gan staff llyfrgelloedd cyhoeddus y DU, wedi'i drefnu yn ôl Cynigion Cyffredinol y Llyfrgelloedd.
footer-api-intro = Ar gael hefyd fel
footer-api-link = API JSON
footer-accessibility = Datganiad hygyrchedd
footer-privacy = Hysbysiad preifatrwydd
footer-submit = Rhannu adnodd
or = neu
all = Y cyfan
apply = Defnyddio
find = Chwilio am

## Dyddiadau

month-1 = Ionawr
month-2 = Chwefror
month-3 = Mawrth
month-4 = Ebrill
month-5 = Mai
month-6 = Mehefin
month-7 = Gorffennaf
month-8 = Awst
month-9 = Medi
month-10 = Hydref
month-11 = Tachwedd
month-12 = Rhagfyr
date-time = { $date } am { $time } UTC

## Tudalen chwilio

search-heading = Chwilio am arfer da
search-description = Chwilio astudiaethau achos, pecynnau cymorth, adroddiadau a gwerthusiadau a rennir gan staff llyfrgelloedd cyhoeddus y DU, yn ôl cynnig, math, blwyddyn, rhanbarth a gwasanaeth llyfrgell.
search-region = Adnoddau
search-label = Chwilio adnoddau
search-hint = Mae geiriau, “ymadroddion”, OR, -gair, neu rhagddodiad* i gyd yn gweithio.
search-suggestions = Awgrymiadau
search-button = Chwilio
title-filtered = Adnoddau wedi'u hidlo
title-page = , tudalen { $page }
results-heading = Canlyniadau
sort-label = Trefnu yn ôl
sort-button = Trefnu
sort-relevance = Perthnasedd
sort-newest = Y mwyaf newydd yn gyntaf
sort-oldest = Yr hynaf yn gyntaf
sort-title = Teitl A–Y
count-resources = { $count } adnodd
count-results = { $count } canlyniad
count-none = Dim adnoddau wedi'u canfod
count-showing = Yn dangos { $first }–{ $last } o { $resources }
count-beyond = Cafwyd { $resources }, ond dim un ar dudalen { $page }
resources-word = adnodd
did-you-mean = Oeddech chi'n golygu
first-page-link = Mynd i dudalen gyntaf y canlyniadau
no-results-heading = Does dim adnoddau'n cyfateb i'r chwiliad hwn
no-results-remove = Ceisiwch dynnu hidlydd:
no-results-all = Chwilio pob adnodd am
no-results-spelling = Gwiriwch y sillafu, neu defnyddiwch lai o eiriau neu eiriau mwy cyffredinol.
remove = Tynnu
show-all = Dangos pob adnodd
browse-by-offer = pori yn ôl cynnig

## Hidlyddion

filters-region = Hidlyddion
filters-heading = Hidlo'r canlyniadau
filters-active = { $n } ar waith
filters-auto = Mae'r canlyniadau'n newid cyn gynted ag y byddwch yn newid hidlydd.
filters-apply = Defnyddio'r hidlyddion
facet-offer = Cynnig
facet-offers = Cynigion
facet-type = Math
facet-year = Blwyddyn
facet-region = Rhanbarth
facet-organisation = Sefydliad
facet-language = Iaith
facet-tag = Tag
facet-filter = Hidlydd
facet-values = gwerthoedd { $facet }
show-more = Dangos { $n } arall
regions-of = Rhanbarthau { $region }
year-span = Mae'r adnoddau'n rhychwantu { $min }–{ $max }.
year-from = O
year-to = I
year-range = ystod o flynyddoedd
active-filters = Hidlyddion ar waith
remove-filter = Tynnu'r hidlydd
clear-all = Clirio'r cyfan
clear-all-filters = hidlyddion
chip-year = Blwyddyn: { $year }
chip-years = Blynyddoedd: { $from }–{ $to }
chip-years-from = Blynyddoedd: o { $from }
chip-years-to = Blynyddoedd: hyd at { $to }
pages-label = Tudalennau o ganlyniadau
previous = Blaenorol
next = Nesaf
page-word = tudalen
page-cap = Tudalen

## Tudalen adnodd

about-resource = Am yr adnodd hwn
published = Cyhoeddwyd
more-from = rhagor o
tags = Tagiau
source = Ffynhonnell
licence = Trwydded
contributor = Cyfrannwr
related = Adnoddau cysylltiedig
sample-notice-title = Enghraifft i ddangos
sample-notice = Ysgrifennwyd yr adnodd hwn i ddangos sut mae'r gronfa wybodaeth yn gweithio. Mae ei sefydliad, ei ffigurau a'i ffynonellau wedi'u dyfeisio: peidiwch â'u dyfynnu fel ymchwil.

## Tudalen pori

browse-heading = Pori yn ôl cynnig a blwyddyn
browse-description = { $count } o adnoddau arfer da gan lyfrgelloedd cyhoeddus y DU, yn ôl Cynnig Cyffredinol y Llyfrgelloedd ac yn ôl blwyddyn.
browse-lead = { $resources } a rennir gan staff llyfrgelloedd, wedi'u trefnu yn ôl Cynigion Cyffredinol y Llyfrgelloedd a'r ddau addewid.
browse-offers = Cynigion ac addewidion
browse-latest = Adnoddau diweddaraf { $offer }
browse-all-offer = Pob adnodd { $offer }, y mwyaf newydd yn gyntaf
browse-per-year = Adnoddau fesul blwyddyn
chart-region = Siart (mae'n sgrolio i'r ochr ar sgriniau bach)
chart-title = Adnoddau fesul blwyddyn, yn ôl cynnig
chart-description = Siart bar grŵp: ar gyfer pob blwyddyn, un bar i bob cynnig yn dangos faint o adnoddau a gyhoeddwyd. Mae'r un rhifau yn y tabl isod.
year-table-note = Adnoddau fesul blwyddyn a chynnig (gall adnodd fod â mwy nag un cynnig).
table-cell = { $n } adnodd { $offer } o { $year }

## Gwallau

error-search-title = Mae problem gyda'r chwiliad hwn
error-search-lead = Nid oedd modd deall rhan o'r chwiliad hwn.
error-not-found-title = Heb ddod o hyd i'r dudalen
error-not-found-lead = Does dim tudalen yn { $path }.
error-sent-title = Mae problem gyda'r hyn a anfonwyd
error-sent-lead = Nid oedd modd derbyn yr hyn a anfonwyd.
error-forbidden-title = Ni allwch weld y dudalen hon
error-forbidden-lead = Mae'r dudalen hon ar gyfer golygyddion sydd wedi mewngofnodi yn unig, neu does gennych chi ddim caniatâd i'w gweld.
error-rate-title = Gormod o geisiadau
error-rate-lead = Daeth gormod o geisiadau gennych mewn amser byr. Arhoswch { $seconds } eiliad a rhowch gynnig arall arni.
error-internal-title = Mae'n ddrwg gennym, aeth rhywbeth o'i le
error-internal-lead = Aeth rhywbeth o'i le ar ein hochr ni. Rhowch gynnig arall arni ymhen ychydig.
error-check-address = Gwiriwch y cyfeiriad, neu newidiwch y chwiliad isod.
error-moved = Efallai fod yr adnodd wedi symud neu wedi'i dynnu'n ôl. Ceisiwch chwilio amdano.
error-new-search = Dechrau chwiliad newydd

## Ffrydiau ac OpenSearch

feed-newest = Arfer Da Llyfrgelloedd: yr adnoddau diweddaraf
feed-search = Arfer Da Llyfrgelloedd: { $query }
opensearch-short-name = Arfer Da Llyfr
opensearch-description = Chwilio astudiaethau achos, pecynnau cymorth ac adroddiadau gan lyfrgelloedd cyhoeddus y DU.
opensearch-tags = llyfrgelloedd arfer-da astudiaethau-achos

## Ffurflenni

field-title = Teitl
field-summary = Crynodeb
field-offers = Cynigion
field-type = Math
field-published = Cyhoeddwyd
field-year = Blwyddyn
field-region = Rhanbarth
field-organisation = Sefydliad
field-tags = Tagiau
field-language = Iaith
field-source_url = URL y ffynhonnell
field-contributor = Cyfrannwr
field-licence = Trwydded
field-body = Testun (Markdown)
hint-title = Dim mwy na 200 nod.
hint-summary = Un neu ddwy frawddeg.
hint-offers = Wedi'u gwahanu gan atalnodau, e.e. reading, health-and-wellbeing.
hint-type = e.e. case-study, toolkit, report, article, evaluation.
hint-published = BBBB-MM-DD, neu gadewch yn wag a rhoi'r flwyddyn.
hint-year = e.e. 2019, pan nad yw'r union ddyddiad yn hysbys.
hint-region = e.e. north-west, wales, scotland, national.
hint-organisation = Y gwasanaeth llyfrgell neu'r corff a'i ysgrifennodd.
hint-tags = Wedi'u gwahanu gan atalnodau, dim mwy nag 20.
hint-language = e.e. en, cy. Mae'n en os na roddir dim.
hint-source_url = Dewisol: dolen i'r gwreiddiol (https://...).
hint-contributor = Dewisol: eich enw.
hint-licence = Dewisol, e.e. CC-BY-4.0.
field-problem = Problem:
form-expired-title = Mae'r ffurflen wedi dod i ben
form-expired = Mae'r ffurflen hon wedi dyddio neu fe'i hanfonwyd o wefan arall. Ewch yn ôl, ail-lwythwch y dudalen a rhowch gynnig arall arni.
submit-title = Rhannu adnodd
submit-intro = Rhannwch astudiaeth achos, pecyn cymorth, adroddiad, erthygl neu werthusiad. Mae golygydd yn adolygu pob cyflwyniad cyn ei gyhoeddi.
submit-errors = Cywirwch y meysydd sydd wedi'u marcio isod.
honeypot = Gadewch hwn yn wag
submit-button = Anfon i'w adolygu
thanks-title = Diolch
thanks = Cafodd eich cyflwyniad ei dderbyn.
too-many-submissions-title = Gormod o gyflwyniadau
too-many-submissions = Arhoswch { $seconds } eiliad ac anfonwch y ffurflen eto.
submission-title = Eich cyflwyniad
submission-not-found = Does dim cyflwyniad yn y cyfeiriad hwn. Gwiriwch eich bod wedi copïo'r cyfeiriad cyfan.
submission-sent = cyflwyniad { $id }, a anfonwyd { $when }.
status-label = Statws:
status-name-pending = yn aros
status-name-approved = wedi'i gymeradwyo
status-name-rejected = wedi'i wrthod
status-name-changes-requested = angen newidiadau
status-pending = Yn aros i olygydd ei adolygu.
status-approved = Wedi'i gymeradwyo a'i gyhoeddi.
status-rejected = Heb ei dderbyn.
status-changes-requested = Mae golygydd yn gofyn am newidiadau; gweler isod a'i anfon eto.
editor-note = Nodyn y golygydd:
send-updated = Anfon fersiwn wedi'i diweddaru
read-on-site = Ei ddarllen ar y wefan
keep-address = Cadwch gyfeiriad y dudalen hon: dyma'r unig ffordd o ddilyn eich cyflwyniad.
login-title = Mewngofnodi golygyddion
login-name = Enw
login-password = Cyfrinair
login-wrong = Enw neu gyfrinair anghywir.
login-too-many-title = Gormod o ymdrechion
login-too-many = Gormod o ymdrechion i fewngofnodi; arhoswch { $seconds } eiliad a rhowch gynnig arall arni.

## Datganiad hygyrchedd (ar sail datganiad enghreifftiol GOV.UK)

acc-title = Datganiad hygyrchedd
acc-intro = Mae'r datganiad hygyrchedd hwn yn berthnasol i gronfa wybodaeth Arfer Da Llyfrgelloedd: ei thudalennau gwe yn Gymraeg ac yn Saesneg.
acc-want = Mae'r wefan hon yn cael ei rhedeg gan y gwasanaeth llyfrgell sy'n ei chynnal. Rydyn ni am i gymaint o bobl â phosibl allu ei defnyddio. Er enghraifft, mae hynny'n golygu y dylech allu:
acc-can-1 = newid lliwiau, lefelau cyferbyniad a ffontiau gan ddefnyddio gosodiadau eich porwr neu'ch dyfais
acc-can-2 = chwyddo hyd at 400% heb i'r testun lifo oddi ar y sgrin
acc-can-3 = symud drwy'r wefan gyfan gan ddefnyddio bysellfwrdd yn unig, neu feddalwedd adnabod lleferydd
acc-can-4 = gwrando ar y wefan gan ddefnyddio darllenydd sgrin (gan gynnwys fersiynau diweddaraf JAWS, NVDA a VoiceOver)
acc-can-5 = defnyddio pob tudalen yn Gymraeg neu yn Saesneg, a chwilio gyda JavaScript neu hebddo
acc-abilitynet = Rydyn ni hefyd wedi gwneud y testun mor syml â phosibl i'w ddeall. Os oes gennych anabledd, mae cyngor ar wneud eich dyfais yn haws i'w defnyddio ar gael gan
acc-how-title = Pa mor hygyrch yw'r wefan hon
acc-how-intro = Gwyddom nad yw rhai rhannau o'r wefan hon yn gwbl hygyrch:
acc-not-yet-1 = staff llyfrgelloedd sy'n ysgrifennu'r adnoddau, felly efallai fod gan rai benawdau allan o drefn, dolenni nad yw eu testun yn dweud i ble maen nhw'n mynd, neu ddelweddau heb destun amgen defnyddiol
acc-not-yet-2 = mae llawer o adnoddau'n cysylltu â dogfennau ffynhonnell ar wefannau eraill, yn aml adroddiadau PDF, nad ydynt efallai'n gweithio'n dda gyda thechnoleg gynorthwyol
acc-not-yet-3 = llun o'r rhifau yw'r siart ar y dudalen pori; mae'r un rhifau mewn tabl oddi tano
acc-not-yet-4 = nid yw'r awgrymiadau a ddangosir wrth i chi deipio yn y blwch chwilio wedi'u profi gyda phob darllenydd sgrin; mae chwilio hebddyn nhw bob amser yn gweithio
acc-feedback-title = Adborth a manylion cyswllt
acc-feedback = Os oes angen gwybodaeth ar y wefan hon arnoch mewn fformat gwahanol, fel PDF hygyrch, print bras, hawdd ei ddeall, recordiad sain neu braille, anfonwch e-bost at
acc-feedback-reply = Byddwn yn ystyried eich cais ac yn cysylltu â chi o fewn 5 diwrnod gwaith. Gallwch ysgrifennu atom yn Gymraeg neu yn Saesneg; byddwn yn ateb yn yr iaith a ddefnyddiwch.
acc-report-title = Rhoi gwybod am broblemau hygyrchedd gyda'r wefan hon
acc-report = Rydyn ni bob amser yn ceisio gwella hygyrchedd y wefan hon. Os dewch o hyd i unrhyw broblemau nad ydynt wedi'u rhestru ar y dudalen hon, neu os ydych yn credu nad ydym yn bodloni'r gofynion hygyrchedd, anfonwch e-bost at
acc-enforce-title = Y weithdrefn orfodi
acc-enforce-ehrc = Y Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC) sy'n gyfrifol am orfodi Rheoliadau Hygyrchedd Cyrff y Sector Cyhoeddus (Gwefannau a Rhaglenni Symudol) (Rhif 2) 2018 (y “rheoliadau hygyrchedd”). Os nad ydych yn fodlon â'r ffordd yr ydym yn ymateb i'ch cwyn, cysylltwch â'r
acc-eass = Gwasanaeth Cynghori a Chymorth Cydraddoldeb (EASS)
acc-enforce-ecni = Os ydych yng Ngogledd Iwerddon ac nad ydych yn fodlon â'r ffordd yr ydym yn ymateb i'ch cwyn, gallwch gysylltu â Chomisiwn Cydraddoldeb Gogledd Iwerddon (ECNI), sy'n gyfrifol am orfodi'r rheoliadau hygyrchedd yng Ngogledd Iwerddon:
acc-ecni = Comisiwn Cydraddoldeb Gogledd Iwerddon
acc-tech-title = Gwybodaeth dechnegol am hygyrchedd y wefan hon
acc-tech = Rydyn ni wedi ymrwymo i wneud y wefan hon yn hygyrch, yn unol â Rheoliadau Hygyrchedd Cyrff y Sector Cyhoeddus (Gwefannau a Rhaglenni Symudol) (Rhif 2) 2018.
acc-status-title = Statws cydymffurfio
acc-status = Mae'r wefan hon yn cydymffurfio'n rhannol â safon AA fersiwn 2.2 y Canllawiau Hygyrchedd Cynnwys y We, oherwydd yr achosion o beidio â chydymffurfio a restrir isod.
acc-nonaccessible-title = Cynnwys nad yw'n hygyrch
acc-noncompliance-title = Peidio â chydymffurfio â'r rheoliadau hygyrchedd
acc-noncompliance-1 = Mae gan rai adnoddau benawdau sy'n neidio lefelau neu ddolenni fel “cliciwch yma”. Mae hyn yn methu meini prawf llwyddiant WCAG 2.2 1.3.1 (Gwybodaeth a pherthnasoedd) a 2.4.4 (Diben dolen). Mae golygyddion yn gwirio adnoddau newydd am hyn cyn eu cyhoeddi.
acc-noncompliance-2 = Efallai nad oes testun amgen gan rai delweddau mewn adnoddau. Mae hyn yn methu maen prawf llwyddiant WCAG 2.2 1.1.1 (Cynnwys nad yw'n destun). Rydyn ni'n gofyn i gyfranwyr am ddisgrifiad o bob delwedd.
acc-burden-title = Baich anghymesur
acc-burden = Nid ydym yn honni y byddai unrhyw waith trwsio yn faich anghymesur.
acc-scope-title = Cynnwys nad yw o fewn cwmpas y rheoliadau hygyrchedd
acc-scope = Nid ein lle ni yw newid dogfennau a gyhoeddwyd ar wefannau eraill ac a gysylltir fel ffynhonnell adnodd. Rydyn ni'n cysylltu â'r fersiwn y mae'r cyhoeddwr yn ei chynnig, ac yn dweud pan fydd yn PDF.
acc-improve-title = Beth rydyn ni'n ei wneud i wella hygyrchedd
acc-improve = Mae pob tudalen yn cael ei gwirio'n awtomatig gydag axe mewn porwr go iawn, yn Gymraeg ac yn Saesneg, ar led ffôn a bwrdd gwaith, bob tro y mae'r cod yn newid. Mae golygyddion yn adolygu penawdau, testun dolenni a disgrifiadau delweddau pob adnodd newydd cyn ei gyhoeddi.
acc-prep-title = Paratoi'r datganiad hygyrchedd hwn
acc-prep = Paratowyd y datganiad hwn ar 30 Tachwedd 2026. Cafodd ei adolygu ddiwethaf ar 4 Rhagfyr 2026.
acc-tested = Profwyd y wefan hon ddiwethaf ar 4 Rhagfyr 2026 yn erbyn safon AA WCAG 2.2. Defnyddiodd y prawf wiriadau awtomatig (axe-core) ar y tudalennau chwilio, adnoddau, pori, cyflwyno a datganiadau ac ar dudalennau'r golygyddion (mewngofnodi, y ciw cymedroli, adolygu a'r cofnod archwilio), yn Gymraeg ac yn Saesneg, gyda gwiriadau â llaw o ddefnyddio'r bysellfwrdd a chwyddo.

## Hysbysiad preifatrwydd

priv-title = Hysbysiad preifatrwydd
priv-intro = Mae'r hysbysiad hwn yn dweud pa ddata personol sydd gan gronfa wybodaeth Arfer Da Llyfrgelloedd, pam, am ba hyd, a beth yw eich hawliau o dan gyfraith diogelu data'r DU (GDPR y DU a Deddf Diogelu Data 2018).
priv-who-title = Pwy ydym ni
priv-who = Y gwasanaeth llyfrgell sy'n rhedeg y wefan hon yw'r rheolydd data. Cysylltwch â'i arweinydd diogelu data yn
priv-what-title = Beth sydd gennym
priv-what-1 = Os anfonwch adnodd: yr hyn a ysgrifennoch, yr enw a roddwch fel cyfrannwr (dewisol), yr amser y'i hanfonwyd a'r cyfeiriad rhwydwaith y daeth ohono, a gedwir dim ond nes bydd golygydd yn penderfynu arno, i atal camddefnydd.
priv-what-2 = Os oes gan eich sefydliad allwedd API: enw'r allwedd ac ôl bys unffordd ohoni (byth yr allwedd ei hun), a pha gyflwyniadau a anfonwyd gyda hi.
priv-what-3 = Os ydych yn olygydd: eich enw, ôl bys unffordd o'ch cyfrinair, eich sesiynau gweithredol, a chofnod o'r hyn a gymeradwywyd, a olygwyd neu a wrthodwyd gennych.
priv-what-4 = Gall adnoddau cyhoeddedig enwi cyfrannwr. Mae'r enw hwnnw'n gyhoeddus, oherwydd bod y cyfrannwr wedi dewis ei roi.
priv-what-5 = Mae logiau'r gweinydd yn cofnodi manylion technegol ceisiadau (amser, y dudalen a ofynnwyd amdani, yr ateb) er mwyn datrys problemau; y gwasanaeth sy'n cynnal y wefan sy'n penderfynu am ba hyd y cânt eu cadw.
priv-not = Mae chwiliadau'n cael eu cyfrif heb unrhyw gyfeiriad rhwydwaith, cwci na dynodydd defnyddiwr. Nid ydym yn defnyddio cwcis hysbysebu na dadansoddi.
priv-why-title = Pam mae gennym y data
priv-why = Rydyn ni'n cadw'r data hwn i redeg y gronfa wybodaeth fel rhan o dasg gyhoeddus y gwasanaeth llyfrgell: i adolygu a chyhoeddi arfer da, ac i gadw'r gwasanaeth yn ddiogel rhag camddefnydd.
priv-cookies-title = Cwcis
priv-cookie-1 = Mae kb_lang yn cofio a ddewisoch Gymraeg neu Saesneg (am flwyddyn). Dim ond pan fyddwch yn defnyddio'r dewis iaith y caiff ei osod.
priv-cookie-2 = Mae kb_session a kb_form yn cadw golygyddion wedi mewngofnodi ac yn atal gwefan arall rhag anfon ffurflenni. Maen nhw'n dod i ben pan fyddwch yn allgofnodi neu ar ôl ychydig oriau.
priv-keep-title = Am ba hyd rydyn ni'n ei gadw
priv-keep = Mae cyflwyniadau a wrthodwyd a sesiynau golygyddion sydd wedi dod i ben yn cael eu dileu ar ôl { $days } diwrnod. Mae adnoddau cyhoeddedig yn aros wedi'u cyhoeddi. Cedwir cofnod gweithredoedd golygyddion tra bo'r gwasanaeth yn rhedeg, dan ffugenw unwaith y bydd cyfrif golygydd wedi'i ddileu.
priv-rights-title = Eich hawliau
priv-rights = Gallwch ofyn am gopi o'ch data, gofyn i ni ei gywiro, neu ofyn i ni ei ddileu:
priv-right-1 = gall cyfranwyr sydd ag allwedd API lawrlwytho popeth sydd gennym amdanynt fel JSON yn /api/v1/me/data, a gofyn am ddileu gyda DELETE /api/v1/me/data
priv-right-2 = gall golygyddion lawrlwytho eu data, neu ddileu eu cyfrif, o'r dudalen “Fy nata” ar ôl mewngofnodi
priv-right-3 = mae dileu yn dileu'r cyfrif neu'r allwedd, yn tynnu eich enw a'ch cyfeiriad rhwydwaith o'ch cyflwyniadau, yn tynnu eich enw o adnoddau cyhoeddedig (sy'n aros wedi'u cyhoeddi), ac yn cadw'r cofnod gweithredoedd dan ffugenw
priv-ask = Gall unrhyw un arall, neu unrhyw un y mae'n well ganddo ofyn i berson, anfon e-bost at
priv-complain-title = Cwynion
priv-complain = Os nad ydych yn fodlon â'r ffordd yr ydym yn defnyddio eich data, gallwch gwyno i
priv-ico = Swyddfa'r Comisiynydd Gwybodaeth (ICO)

## Eich data

my-data-title = Fy nata
my-data-intro = Gallwch lawrlwytho popeth sydd gan y gwasanaeth hwn amdanoch fel ffeil JSON: eich cyfrif, eich sesiynau (pryd mae pob un yn dod i ben) a phob cofnod yn y cofnod archwilio sy'n eich enwi.
my-data-download = Lawrlwytho fy nata (JSON)
my-data-erase-title = Dileu fy nghyfrif
my-data-erase-intro = Mae dileu yn dileu eich cyfrif ac yn eich allgofnodi. Cedwir y cofnod o'r hyn a gymeradwywyd, a olygwyd neu a wrthodwyd gennych, oherwydd mai dyma'r cofnod o'r hyn a gyhoeddwyd, ond dan ffugenw yn lle eich enw. Ni ellir dadwneud hyn.
my-data-erase-confirm = Rwy'n deall: dileu'r cyfrif { $name } nawr.
my-data-erase-button = Dileu fy nghyfrif
my-data-erase-unconfirmed = Ni ddilëwyd dim: ticiwch y blwch i gadarnhau eich bod am ddileu eich cyfrif.
my-data-erased-title = Cafodd eich cyfrif ei ddileu
my-data-erased = Mae eich cyfrif a'ch sesiynau wedi'u dileu, ac mae'r cofnod archwilio bellach yn eich enwi â ffugenw.

## Awgrymiadau wrth deipio (a ddarllenir gan y sgript)

suggest-kind-resource = adnodd
suggest-one = awgrym
suggest-many = awgrym
suggest-help = Defnyddiwch y saethau i fyny ac i lawr i ddewis.

## Rhagor o dudalennau gwall

error-method-title = Ni all y dudalen hon wneud hynny
error-method-lead = Nid yw'r cyfeiriad hwn yn derbyn y math hwnnw o gais.
error-conflict-title = Wedi'i benderfynu eisoes
error-conflict-lead = Newidiodd rhywun arall hwn yn gyntaf. Ail-lwythwch y dudalen i weld lle mae pethau nawr.
error-busy-title = Mae'r wefan yn brysur
error-busy-lead = Mae'r wefan yn ateb llawer o geisiadau ar hyn o bryd. Rhowch gynnig arall arni ymhen ychydig.

## Ffurflen y cyfranwyr (/submit)

submit-description = Rhannwch arfer da gyda staff llyfrgelloedd cyhoeddus y DU: mae golygydd yn adolygu pob cyflwyniad.
submit-error-prefix = Gwall:
submit-problem = Mae problem
submit-preview = Rhagolwg
submit-preview-hint = Dyma sut y bydd y testun yn darllen ar ôl ei gyhoeddi. Nid oes dim wedi'i anfon eto.
submit-field-body = Testun
submit-field-attachment = Atodiad PDF
submit-field-resource = Adnodd
submit-hint-region = Lle digwyddodd y gwaith, neu Cenedlaethol ar gyfer y DU gyfan.
submit-choose-region = Dewiswch ranbarth
submit-all-of = { $region } i gyd
submit-hint-offers = Ticiwch bob Cynnig Cyffredinol y Llyfrgelloedd neu addewid y mae'r gwaith yn ei gefnogi.
submit-hint-type = Pa fath o adnodd ydyw.
submit-choose-type = Dewiswch fath
submit-hint-published = Y dyddiad y'i cyhoeddwyd. Gadewch yn wag os mai dim ond y flwyddyn a wyddoch.
submit-hint-tags = Wedi'u gwahanu gan atalnodau, dim mwy nag 20, e.e. grwpiau darllen, dementia.
submit-hint-language = Yr iaith y mae'r adnodd wedi'i ysgrifennu ynddi.
submit-hint-body = Yr adnodd ei hun, yn Markdown: llinell wag rhwng paragraffau, # ar gyfer penawdau, [testun](https://...) ar gyfer dolenni.

## Atodiadau PDF

submit-label-attachment = Atodiad PDF (dewisol)
submit-hint-attachment = Yr adroddiad neu'r pecyn cymorth ei hun, fel PDF o 20 MB ar y mwyaf. Mae ei destun yn cael ei chwilio. Dewiswch ef eto ar ôl rhagolwg neu wall.
attachment-download = Lawrlwytho'r ddogfen lawn
attachment-summary = (PDF, { $size }, { $pages ->
    [one] { $pages } dudalen
   *[other] { $pages } tudalen
})
attachment-warning-title = Efallai nad yw'r PDF hwn yn hygyrch:
attachment-warning = nid oes ganddo haen testun (mae'n edrych fel sgan), felly ni all darllenwyr sgrin ei ddarllen ac nid oes modd chwilio ei eiriau. Gofynnwch i'r sefydliad am fersiwn hygyrch.
attachment-snippet-source = O'r PDF atodedig:

## Dadansoddeg chwilio (/admin/analytics)

analytics-title = Dadansoddeg chwilio
analytics-description = Beth mae staff llyfrgelloedd yn chwilio amdano, beth sy'n dod o hyd i ddim, a pha ganlyniadau maen nhw'n eu hagor.
analytics-lead = Y { $days } diwrnod diwethaf. Cofnodir chwiliadau heb unrhyw gyfeiriad, cwci na chyfrif; ni restrir byth ymholiad a chwiliwyd llai na { $min } gwaith.
analytics-off = Mae'r cofnodi wedi'i ddiffodd ar y gweinydd hwn (y gosodiad analytics), felly nid oes dim newydd yn cael ei ychwanegu.
analytics-searches = Chwiliadau
analytics-clicks = Canlyniadau a agorwyd
analytics-ctr = Cyfradd clicio
analytics-mean-position = Safle cyfartalog a agorwyd
analytics-csv = Lawrlwytho cyfrifon dyddiol fesul ymholiad (CSV)
analytics-top = Prif ymholiadau
analytics-zero = Chwiliadau na ddaeth o hyd i ddim
analytics-zero-lead = Pynciau y mae pobl yn chwilio amdanynt heb eu canfod: ymgeiswyr i'w comisiynu.
analytics-none = Nid oes ymholiad wedi'i chwilio { $min } gwaith neu fwy eto.
analytics-query = Ymholiad
analytics-found-nothing = Dim canlyniadau
analytics-commission = Comisiynu
analytics-share = Rhannu adnodd am “{ $query }”
analytics-positions = Cyfradd clicio fesul safle
analytics-chart-title = Cliciau fesul 100 chwiliad yn ôl safle'r canlyniad
analytics-chart-desc = Siart bar: ar gyfer pob safle o 1 i 10, faint o bob 100 chwiliad a agorodd y canlyniad yno.
analytics-chart-caption = Safle'r canlyniad (1 yw'r canlyniad cyntaf) yn erbyn cliciau fesul 100 chwiliad.
analytics-chart-series = Cliciau fesul 100 chwiliad
analytics-position = Safle
analytics-clicks-col = Cliciau
analytics-per-search = Fesul chwiliad
analytics-weekly = Tueddiadau wythnosol
analytics-weekly-caption = Chwiliadau fesul wythnos
analytics-week-of = Wythnos yn dechrau
analytics-filters = Prif hidlwyr
analytics-filter = Hidlydd
analytics-filters-none = Nid oes hidlydd wedi'i ddefnyddio { $min } gwaith neu fwy eto.

## Problemau gyda meysydd cyflwyniad (ar /submit ac ar ffurflen olygu'r golygyddion)

problem-missing = Llenwch “{ $label }”.
problem-too-long = Mae “{ $label }” yn { $chars } nod o hyd: byrhewch ef i { $max } nod ar y mwyaf.
problem-control = Mae nodau rheoli yn “{ $label }”: tynnwch nhw.
problem-not-text = Rhaid i “{ $label }” fod yn un darn o destun.
problem-not-flag = Rhaid i “{ $label }” fod yn wir neu'n gau.
problem-not-list = Rhaid i “{ $label }” fod yn rhestr o eiriau wedi'u gwahanu gan atalnodau.
problem-unknown-offer = Nid yw “{ $value }” yn un o'r cynigion.
problem-unknown-type = Nid yw “{ $value }” yn un o'r mathau o adnodd.
problem-unknown-region = Nid yw “{ $value }” yn un o'r rhanbarthau.
problem-unknown-language = Nid yw “{ $value }” yn un o'r ieithoedd.
problem-did-you-mean = Oeddech chi'n golygu “{ $suggestion }”?
problem-unknown-field = Nid yw “{ $name }” yn un o feysydd adnodd.
problem-invalid-id = Nid yw “{ $id }” yn gyfeiriad dilys: defnyddiwch lythrennau bach, digidau a chysylltnodau, gyda / rhwng y rhannau.
problem-offers-missing = Dewiswch o leiaf un cynnig.
problem-too-many-tags = Rhoddwyd { $count } tag: cadwch y { $max } mwyaf defnyddiol.
problem-bad-tag = Rhaid i'r tag “{ $tag }” fod rhwng 1 a { $max } o lythrennau neu ddigidau.
problem-not-web-address = Nid yw “{ $url }” yn gyfeiriad gwe: rhaid iddo ddechrau gyda https:// a pheidio â chynnwys bylchau.
problem-body-empty = Ysgrifennwch destun yr adnodd.
problem-year-range = Mae { $year } y tu allan i'r ystod: rhowch flwyddyn rhwng { $min } a { $max }.
problem-year-disagrees = Nid yw'r flwyddyn { $year } yn cyfateb i'r dyddiad cyhoeddi, { $date }: gadewch y flwyddyn yn wag.
problem-not-date = Nid yw “{ $value }” yn ddyddiad: ysgrifennwch ef ar ffurf BBBB-MM-DD, er enghraifft 2019-06-14, neu rhowch y flwyddyn yn unig.
problem-not-year = Nid yw “{ $value }” yn flwyddyn: ysgrifennwch bedwar digid, er enghraifft 2019.
problem-date-missing = Rhowch y dyddiad y'i cyhoeddwyd, neu'r flwyddyn.
problem-incomplete = Nid yw'r adnodd yn gyflawn: gwiriwch bob maes.
problem-attachments-off = Nid yw'r wefan hon yn derbyn atodiadau eto: anfonwch yr adnodd hebddo a rhowch ddolen i'r PDF o dan “{ $source }”.
problem-attachment-not-pdf = Nid PDF yw “{ $name }”: atodwch yr adroddiad fel ffeil PDF.
problem-attachment-too-big = Mae “{ $name }” dros y terfyn o 20 MB: atodwch PDF llai, neu rhowch ddolen iddo o dan “{ $source }”.
problem-attachment-encrypted = Mae “{ $name }” wedi'i ddiogelu â chyfrinair: cadwch ef heb gyfrinair a'i atodi eto.
problem-attachment-too-many-pages = Mae gan “{ $name }” { $pages } tudalen, dros y terfyn o 2,000: atodwch y rhan sy'n bwysig.
problem-attachment-damaged = Mae “{ $name }” yn PDF wedi'i ddifrodi na ellir ei ddarllen: allforiwch ef eto o'r rhaglen a'i creodd.
problem-attachment-slow = Cymerodd “{ $name }” ormod o amser i'w ddarllen: atodwch PDF symlach (er enghraifft un a gadwyd gyda “lleihau maint y ffeil”).
problem-attachment-unavailable = Ni ellir darllen atodiadau ar y wefan hon ar hyn o bryd: anfonwch yr adnodd heb yr atodiad.
problem-body-not-text = Rhaid i'r testun fod yn Markdown, wedi'i anfon fel testun.
problem-attachment-inline = Anfonwch y PDF fel ffeil ar wahân, nid y tu mewn i feysydd yr adnodd.

## Tudalennau'r golygyddion (/moderation, /admin/audit)

mod-queue-title = Ciw cymedroli
mod-nothing = Does dim yn aros.
mod-open-caption = Cyflwyniadau sy'n aros am benderfyniad
mod-col-number = Rhif
mod-col-status = Statws
mod-col-received = Derbyniwyd
mod-col-from = Oddi wrth
mod-from-key = Allwedd API { $id }
mod-from-web = Ffurflen we neu'n ddienw
mod-recent = Penderfynwyd yn ddiweddar
mod-col-decided = Penderfynwyd
mod-published-as = Cyhoeddwyd fel
mod-attachment-pages = (PDF, { $pages ->
    [one] { $pages } dudalen
   *[other] { $pages } tudalen
})
mod-no-text-layer = Nid oes haen testun gan y PDF
mod-review-title = Adolygu: { $title }
mod-submission = Cyflwyniad { $id }
mod-received = derbyniwyd
mod-note = Nodyn:
mod-attached = Atodiad: “{ $name }”, { $size }, { $pages ->
    [one] { $pages } dudalen
   *[other] { $pages } tudalen
}.
mod-no-text-layer-warning = Nid oes haen testun gan y PDF hwn: ni all defnyddwyr darllenwyr sgrin ei ddarllen, ac nid oes modd chwilio ei eiriau. Gofynnwch am fersiwn hygyrch cyn ei gyhoeddi.
mod-cannot-publish = Heb ei gyhoeddi: nid yw'r cyflwyniad yn bodloni'r rheolau ar gyfer adnoddau. Cywirwch y meysydd sydd wedi'u marcio o dan “Golygu”, cadwch y newidiadau, ac yna ei gymeradwyo.
mod-reason-needed = Ni phenderfynwyd dim: ysgrifennwch reswm isod.
mod-reason-missing = Ysgrifennwch reswm: mae'r cyfrannwr yn ei weld ar ei dudalen statws.
mod-decide = Penderfynu
mod-approve = Cymeradwyo a chyhoeddi
mod-changes-reason = Beth ddylai'r cyfrannwr ei newid?
mod-request-changes = Gofyn am newidiadau
mod-reject-reason = Y rheswm dros wrthod
mod-reject = Gwrthod
mod-edit = Golygu
mod-not-saved = Heb ei gadw: cywirwch y meysydd sydd wedi'u marcio isod.
mod-save = Cadw'r newidiadau
audit-caption = Y gweithredoedd diweddaraf, y mwyaf diweddar yn gyntaf
audit-when = Pryd
audit-who = Pwy
audit-did = Gweithred
audit-submission = Cyflwyniad
audit-detail = Manylion
audit-action-approved = cymeradwywyd
audit-action-rejected = gwrthodwyd
audit-action-edited = golygwyd
audit-action-changes-requested = gofynnwyd am newidiadau
audit-action-login = mewngofnodwyd
audit-action-submitted = cyflwynwyd
audit-action-erased = dilëwyd y data
audit-changed = Newidiwyd: { $fields }
audit-published-as = Cyhoeddwyd fel
audit-erased-editor = Dilëwyd cyfrif golygydd ar gais.
audit-erased-key = Dilëwyd data deiliad allwedd API ar gais.
