# Interface text in English. Every message here has a twin in
# ../cy/main.ftl (a test compares the keys). Resource text is never here.

## Shell

site-name = Library Good Practice
skip-link = Skip to main content
nav-main = Main
nav-search = Search
nav-browse = Browse
nav-moderation = Moderation
nav-audit = Audit log
nav-my-data = My data
log-out = Log out
log-in = Log in
lang-switch-label = Language
footer-about = Good practice shared by UK public library staff, organised by the Universal Library Offers.
footer-api-intro = Also available as a
footer-api-link = JSON API
footer-accessibility = Accessibility statement
footer-privacy = Privacy notice
footer-submit = Share a resource
or = or
all = All
apply = Apply
find = Find

## Dates

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-time = { $date }, { $time } UTC

## Search page

search-heading = Search good practice
search-description = Search case studies, toolkits, reports and evaluations shared by UK public library staff, by offer, type, year, region and library service.
search-region = Resources
search-label = Search resources
search-hint = Words, “phrases”, OR, -word, or prefix* all work.
search-suggestions = Suggestions
search-button = Search
title-filtered = Filtered resources
title-page = , page { $page }
results-heading = Results
sort-label = Sort by
sort-button = Sort
sort-relevance = Relevance
sort-newest = Newest first
sort-oldest = Oldest first
sort-title = Title A–Z
count-resources = { $n ->
    [one] { $count } resource
   *[other] { $count } resources
}
count-results = { $n ->
    [one] { $count } result
   *[other] { $count } results
}
count-none = No resources found
count-showing = Showing { $first }–{ $last } of { $resources }
count-beyond = { $resources } found, but none on page { $page }
resources-word = resources
did-you-mean = Did you mean
first-page-link = Go to the first page of results
no-results-heading = No resources match this search
no-results-remove = Try removing a filter:
no-results-all = Search all resources for
no-results-spelling = Check the spelling, or use fewer or more general words.
remove = Remove
show-all = Show all resources
browse-by-offer = browse by offer

## Filters

filters-region = Filters
filters-heading = Filter results
filters-active = { $n } active
filters-auto = Results update as soon as you change a filter.
filters-apply = Apply filters
facet-offer = Offer
facet-offers = Offers
facet-type = Type
facet-year = Year
facet-region = Region
facet-organisation = Organisation
facet-language = Language
facet-tag = Tag
facet-filter = Filter
facet-values = { $facet } values
show-more = Show { $n } more
regions-of = Regions of { $region }
year-span = Resources span { $min }–{ $max }.
year-from = From
year-to = To
year-range = year range
active-filters = Active filters
remove-filter = Remove filter
clear-all = Clear all
clear-all-filters = filters
chip-year = Year: { $year }
chip-years = Years: { $from }–{ $to }
chip-years-from = Years: from { $from }
chip-years-to = Years: up to { $to }
pages-label = Pages of results
previous = Previous
next = Next
page-word = page
page-cap = Page

## Resource page

about-resource = About this resource
published = Published
more-from = more from
tags = Tags
source = Source
licence = Licence
contributor = Contributor
related = Related resources
sample-notice-title = Illustrative example
sample-notice = This resource was written to show how the knowledge base works. Its organisation, figures and sources are invented: do not quote them as research.

## Browse page

browse-heading = Browse by offer and year
browse-description = { $count } good-practice resources from UK public libraries, by Universal Library Offer and by year.
browse-lead = { $resources } shared by library staff, organised by the Universal Library Offers and the two promises.
browse-offers = Offers and promises
browse-latest = Latest { $offer } resources
browse-all-offer = All { $offer } resources, newest first
browse-per-year = Resources per year
chart-region = Chart (scrolls sideways on small screens)
chart-title = Resources per year, by offer
chart-description = Grouped bar chart: for each year, one bar per offer showing how many resources were published. The same numbers are in the table below.
year-table-note = Resources per year and offer (a resource can have more than one offer).
table-cell = { $n } { $offer } resources from { $year }

## Errors

error-search-title = There is a problem with this search
error-search-lead = Part of this search could not be understood.
error-not-found-title = Page not found
error-not-found-lead = There is no page at { $path }.
error-sent-title = There is a problem with what was sent
error-sent-lead = What was sent could not be accepted.
error-forbidden-title = You cannot see this page
error-forbidden-lead = This page is only for signed-in editors, or you do not have permission to see it.
error-rate-title = Too many requests
error-rate-lead = Too many requests came from you in a short time. Please wait { $seconds } seconds and try again.
error-internal-title = Sorry, something went wrong
error-internal-lead = Something went wrong on our side. Please try again in a moment.
error-check-address = Check the address, or change the search below.
error-moved = The resource may have moved or been withdrawn. Try searching for it.
error-new-search = Start a new search

## Feeds and OpenSearch

feed-newest = Library Good Practice: newest resources
feed-search = Library Good Practice: { $query }
opensearch-short-name = Library KB
opensearch-description = Search case studies, toolkits and reports from UK public libraries.
opensearch-tags = libraries good-practice case-studies

## Forms

field-title = Title
field-summary = Summary
field-offers = Offers
field-type = Type
field-published = Published
field-year = Year
field-region = Region
field-organisation = Organisation
field-tags = Tags
field-language = Language
field-source_url = Source URL
field-contributor = Contributor
field-licence = Licence
field-body = Text (Markdown)
hint-title = At most 200 characters.
hint-summary = One or two sentences.
hint-offers = Comma-separated, e.g. reading, health-and-wellbeing.
hint-type = e.g. case-study, toolkit, report, article, evaluation.
hint-published = YYYY-MM-DD, or leave empty and give the year.
hint-year = e.g. 2019, when the exact date is not known.
hint-region = e.g. north-west, wales, scotland, national.
hint-organisation = The library service or body that wrote it.
hint-tags = Comma-separated, at most 20.
hint-language = e.g. en, cy. Defaults to en.
hint-source_url = Optional link to the original (https://...).
hint-contributor = Optional: your name.
hint-licence = Optional, e.g. CC-BY-4.0.
field-problem = Problem:
form-expired-title = Form expired
form-expired = This form is out of date or was sent from another site. Go back, reload the page and try again.
submit-title = Share a resource
submit-intro = Share a case study, toolkit, report, article or evaluation. An editor reviews every submission before it is published.
submit-errors = Please correct the fields marked below.
honeypot = Leave this empty
submit-button = Submit for review
thanks-title = Thank you
thanks = Your submission was received.
too-many-submissions-title = Too many submissions
too-many-submissions = Please wait { $seconds } seconds and send the form again.
submission-title = Your submission
submission-not-found = There is no submission at this address. Check that you copied the whole address.
submission-sent = submission { $id }, sent { $when }.
status-label = Status:
status-name-pending = pending
status-name-approved = approved
status-name-rejected = rejected
status-name-changes-requested = changes requested
status-pending = Waiting for an editor to review it.
status-approved = Approved and published.
status-rejected = Not accepted.
status-changes-requested = An editor asks for changes; see below and submit it again.
editor-note = Editor's note:
send-updated = Send an updated version
read-on-site = Read it on the site
keep-address = Keep this page's address: it is the only way to follow your submission.
login-title = Editor login
login-name = Name
login-password = Password
login-wrong = Wrong name or password.
login-too-many-title = Too many attempts
login-too-many = Too many login attempts; wait { $seconds } seconds and try again.

## Accessibility statement (after the GOV.UK model statement)

acc-title = Accessibility statement
acc-intro = This accessibility statement applies to the Library Good Practice knowledge base: its web pages in English and in Welsh.
acc-want = This website is run by the library service that hosts it. We want as many people as possible to be able to use it. For example, that means you should be able to:
acc-can-1 = change colours, contrast levels and fonts using your browser or device settings
acc-can-2 = zoom in up to 400% without the text spilling off the screen
acc-can-3 = navigate the whole website using just a keyboard, or speech recognition software
acc-can-4 = listen to the website using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)
acc-can-5 = use every page in English or in Welsh, and search with or without JavaScript
acc-abilitynet = We have also made the text as simple as possible to understand. If you have a disability, advice on making your device easier to use is on
acc-how-title = How accessible this website is
acc-how-intro = We know some parts of this website are not fully accessible:
acc-not-yet-1 = resources are written by library staff, so some may have headings out of order, links whose text does not say where they go, or images without a useful text alternative
acc-not-yet-2 = many resources link to source documents on other websites, often PDF reports, which may not work well with assistive technology
acc-not-yet-3 = the chart on the browse page is a picture of the numbers; the same numbers are in a table below it
acc-not-yet-4 = suggestions shown as you type in the search box have not been tested with every screen reader; searching without them always works
acc-feedback-title = Feedback and contact information
acc-feedback = If you need information on this website in a different format, such as accessible PDF, large print, easy read, audio recording or braille, email
acc-feedback-reply = We will consider your request and get back to you in 5 working days. You can write to us in Welsh or in English; we will answer in the language you use.
acc-report-title = Reporting accessibility problems with this website
acc-report = We are always looking to improve the accessibility of this website. If you find any problems not listed on this page, or think we are not meeting accessibility requirements, email
acc-enforce-title = Enforcement procedure
acc-enforce-ehrc = The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the “accessibility regulations”). If you are not happy with how we respond to your complaint, contact the
acc-eass = Equality Advisory and Support Service (EASS)
acc-enforce-ecni = If you are in Northern Ireland and are not happy with how we respond to your complaint you can contact the Equality Commission for Northern Ireland (ECNI), who are responsible for enforcing the accessibility regulations in Northern Ireland:
acc-ecni = Equality Commission for Northern Ireland
acc-tech-title = Technical information about this website’s accessibility
acc-tech = We are committed to making this website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.
acc-status-title = Compliance status
acc-status = This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.
acc-nonaccessible-title = Non-accessible content
acc-noncompliance-title = Non-compliance with the accessibility regulations
acc-noncompliance-1 = Some resources have headings that skip levels or links such as “click here”. This fails WCAG 2.2 success criteria 1.3.1 (Info and relationships) and 2.4.4 (Link purpose). Editors check new resources for this before they are published.
acc-noncompliance-2 = Some images inside resources may have no text alternative. This fails WCAG 2.2 success criterion 1.1.1 (Non-text content). We ask contributors for a description of every image.
acc-burden-title = Disproportionate burden
acc-burden = We are not claiming that any fix would be a disproportionate burden.
acc-scope-title = Content that is not within the scope of the accessibility regulations
acc-scope = Documents published on other websites and linked as a resource’s source are not ours to change. We link to the version the publisher offers, and say when it is a PDF.
acc-improve-title = What we are doing to improve accessibility
acc-improve = Every page is checked automatically with axe in a real browser, in English and in Welsh, at phone and desktop widths, each time the code changes. Editors review each new resource for headings, link text and image descriptions before publishing it.
acc-prep-title = Preparation of this accessibility statement
acc-prep = This statement was prepared on 30 November 2026. It was last reviewed on 4 December 2026.
acc-tested = This website was last tested on 4 December 2026 against the WCAG 2.2 AA standard. The test used automated checks (axe-core) on the search, resource, browse, submission and statement pages and on the editors’ pages (login, moderation queue, review and audit log), in English and in Welsh, with manual checks of keyboard use and zoom.

## Privacy notice

priv-title = Privacy notice
priv-intro = This notice says what personal data the Library Good Practice knowledge base holds, why, for how long, and what your rights are under UK data protection law (UK GDPR and the Data Protection Act 2018).
priv-who-title = Who we are
priv-who = The library service that runs this website is the data controller. Contact its data protection lead at
priv-what-title = What we hold
priv-what-1 = If you send a resource: what you wrote, the name you give as contributor (optional), the time you sent it and the network address it came from, kept only until an editor decides on it, to stop abuse.
priv-what-2 = If your organisation has an API key: the key's name and a one-way fingerprint of the key (never the key itself), and which submissions were sent with it.
priv-what-3 = If you are an editor: your name, a one-way fingerprint of your password, your active sessions, and a log of what you approved, edited or rejected.
priv-what-4 = Published resources can name a contributor. That name is public, because the contributor chose to give it.
priv-what-5 = Server logs record technical details of requests (time, page asked for, answer) for troubleshooting; the service that hosts the website sets how long they are kept.
priv-not = Searches are counted without any network address, cookie or user id. We do not use advertising or analytics cookies.
priv-why-title = Why we hold it
priv-why = We hold this data to run the knowledge base as part of the library service’s public task: to review and publish good practice, and to keep the service safe from abuse.
priv-cookies-title = Cookies
priv-cookie-1 = kb_lang remembers whether you chose English or Welsh (kept for a year). It is set only when you use the language switch.
priv-cookie-2 = kb_session and kb_form keep editors signed in and protect forms from being sent by another site. They end when you sign out or after a few hours.
priv-keep-title = How long we keep it
priv-keep = Rejected submissions and expired editor sessions are deleted after { $days } days. Published resources stay published. The log of editors’ actions is kept while the service runs, under a pseudonym once an editor’s account is erased.
priv-rights-title = Your rights
priv-rights = You can ask for a copy of your data, ask us to correct it, or ask us to erase it:
priv-right-1 = contributors with an API key can download everything held about them as JSON at /api/v1/me/data, and ask for erasure with DELETE /api/v1/me/data
priv-right-2 = editors can download their data, or erase their account, from the “My data” page after signing in
priv-right-3 = erasure deletes the account or key, removes your name and network address from your submissions, removes your name from published resources (which stay published), and keeps the log of actions under a pseudonym
priv-ask = Anyone else, or anyone who prefers to ask a person, can email
priv-complain-title = Complaints
priv-complain = If you are unhappy with how we use your data, you can complain to the
priv-ico = Information Commissioner’s Office (ICO)

## Your data

my-data-title = My data
my-data-intro = You can download everything this service holds about you as a JSON file: your account, your sessions (when each ends) and every entry of the audit log that names you.
my-data-download = Download my data (JSON)
my-data-erase-title = Erase my account
my-data-erase-intro = Erasing deletes your account and signs you out. The log of what you approved, edited or rejected is kept, because it is the record of what was published, but under a pseudonym instead of your name. This cannot be undone.
my-data-erase-confirm = I understand: erase the account { $name } now.
my-data-erase-button = Erase my account
my-data-erase-unconfirmed = Nothing was erased: tick the box to confirm that you want your account erased.
my-data-erased-title = Your account was erased
my-data-erased = Your account and sessions are deleted, and the audit log now names you by a pseudonym.

## Suggestions as you type (read by the script)

suggest-kind-resource = resource
suggest-one = suggestion
suggest-many = suggestions
suggest-help = Use the up and down arrows to choose.

## More error pages

error-method-title = This page cannot do that
error-method-lead = This address does not take that kind of request.
error-conflict-title = Already decided
error-conflict-lead = Someone else changed this first. Reload the page to see where it stands now.
error-busy-title = The site is busy
error-busy-lead = The site is answering many requests at the moment. Please try again in a moment.

## The contributor's form (/submit)

submit-description = Share good practice with UK public library staff: an editor reviews every submission.
submit-error-prefix = Error:
submit-problem = There is a problem
submit-preview = Preview
submit-preview-hint = This is how the text will read once published. Nothing has been sent yet.
submit-field-body = Text
submit-field-attachment = PDF attachment
submit-field-resource = Resource
submit-hint-region = Where the work took place, or National for the whole UK.
submit-choose-region = Choose a region
submit-all-of = All of { $region }
submit-hint-offers = Tick every Universal Library Offer or promise the work supports.
submit-hint-type = What kind of resource it is.
submit-choose-type = Choose a type
submit-hint-published = The date it was published. Leave empty if you only know the year.
submit-hint-tags = Comma-separated, at most 20, e.g. reading groups, dementia.
submit-hint-language = The language the resource is written in.
submit-hint-body = The resource itself, in Markdown: blank lines between paragraphs, # for headings, [text](https://...) for links.

## PDF attachments

submit-label-attachment = PDF attachment (optional)
submit-hint-attachment = The report or toolkit itself, as a PDF of at most 20 MB. Its text is searched. Choose it again after a preview or an error.
attachment-download = Download the full document
attachment-summary = (PDF, { $size }, { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
})
attachment-warning-title = This PDF may not be accessible:
attachment-warning = it has no text layer (it looks like a scan), so screen readers cannot read it and its words are not searchable. Ask the organisation for an accessible version.
attachment-snippet-source = From the attached PDF:

## Search analytics (/admin/analytics)

analytics-title = Search analytics
analytics-description = What library staff search for, what finds nothing and which results they open.
analytics-lead = The last { $days } days. Searches are recorded without any address, cookie or account; a query searched fewer than { $min } times is never listed.
analytics-off = Recording is off on this server (the analytics setting), so nothing new is added.
analytics-searches = Searches
analytics-clicks = Results opened
analytics-ctr = Click-through
analytics-mean-position = Mean position opened
analytics-csv = Download daily counts per query (CSV)
analytics-top = Top queries
analytics-zero = Searches that found nothing
analytics-zero-lead = Topics people look for and do not find: candidates to commission.
analytics-none = No query has been searched { $min } times or more yet.
analytics-query = Query
analytics-found-nothing = Found nothing
analytics-commission = Commission
analytics-share = Share a resource on “{ $query }”
analytics-positions = Click-through by position
analytics-chart-title = Clicks per 100 searches by result position
analytics-chart-desc = Bar chart: for each result position from 1 to 10, how many of every 100 searches opened the result there.
analytics-chart-caption = Result position (1 is the first result) against clicks per 100 searches.
analytics-chart-series = Clicks per 100 searches
analytics-position = Position
analytics-clicks-col = Clicks
analytics-per-search = Per search
analytics-weekly = Weekly trends
analytics-weekly-caption = Searches per week
analytics-week-of = Week of
analytics-filters = Top filters
analytics-filter = Filter
analytics-filters-none = No filter has been used { $min } times or more yet.

## Problems with a submission's fields (on /submit and the editors' edit form)

problem-missing = Fill in “{ $label }”.
problem-too-long = “{ $label }” is { $chars } characters long: shorten it to { $max } at most.
problem-control = “{ $label }” contains control characters: remove them.
problem-not-text = “{ $label }” must be a single piece of text.
problem-not-flag = “{ $label }” must be true or false.
problem-not-list = “{ $label }” must be a list of words separated by commas.
problem-unknown-offer = “{ $value }” is not one of the offers.
problem-unknown-type = “{ $value }” is not one of the resource types.
problem-unknown-region = “{ $value }” is not one of the regions.
problem-unknown-language = “{ $value }” is not one of the languages.
problem-did-you-mean = Did you mean “{ $suggestion }”?
problem-unknown-field = “{ $name }” is not a field of a resource.
problem-invalid-id = “{ $id }” is not a valid address: use lowercase letters, digits and hyphens, with / between parts.
problem-offers-missing = Choose at least one offer.
problem-too-many-tags = { $count } tags given: keep the { $max } most useful.
problem-bad-tag = The tag “{ $tag }” must be 1 to { $max } letters or digits.
problem-not-web-address = “{ $url }” is not a web address: it must start with https:// and contain no spaces.
problem-body-empty = Write the resource’s text.
problem-year-range = { $year } is out of range: give a year from { $min } to { $max }.
problem-year-disagrees = The year { $year } does not match the date published, { $date }: leave the year empty.
problem-not-date = “{ $value }” is not a date: write it as YYYY-MM-DD, for example 2019-06-14, or give only the year.
problem-not-year = “{ $value }” is not a year: write four digits, for example 2019.
problem-date-missing = Give the date it was published, or the year.
problem-incomplete = The resource is incomplete: check every field.
problem-attachments-off = This site does not take attachments yet: send the resource without it and give a link to the PDF under “{ $source }”.
problem-attachment-not-pdf = “{ $name }” is not a PDF: attach the report as a PDF file.
problem-attachment-too-big = “{ $name }” is over the 20 MB limit: attach a smaller PDF, or give a link to it under “{ $source }”.
problem-attachment-encrypted = “{ $name }” is protected by a password: save it without one and attach it again.
problem-attachment-too-many-pages = “{ $name }” has { $pages } pages, over the limit of 2,000: attach the part that matters.
problem-attachment-damaged = “{ $name }” is a damaged PDF that cannot be read: export it again from the program that made it.
problem-attachment-slow = “{ $name }” took too long to read: attach a simpler PDF (for example one saved with “reduce file size”).
problem-attachment-unavailable = Attachments cannot be read on this site just now: send the resource without the attachment.
problem-body-not-text = The text must be Markdown, sent as text.
problem-attachment-inline = Send the PDF as a file of its own, not inside the resource’s fields.

## Editors' pages (/moderation, /admin/audit)

mod-queue-title = Moderation queue
mod-nothing = Nothing waiting.
mod-open-caption = Submissions waiting for a decision
mod-col-number = No.
mod-col-status = Status
mod-col-received = Received
mod-col-from = From
mod-from-key = API key { $id }
mod-from-web = Web form or anonymous
mod-recent = Recently decided
mod-col-decided = Decided
mod-published-as = Published as
mod-attachment-pages = (PDF, { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
})
mod-no-text-layer = PDF has no text layer
mod-review-title = Review: { $title }
mod-submission = Submission { $id }
mod-received = received
mod-note = Note:
mod-attached = Attached: “{ $name }”, { $size }, { $pages ->
    [one] { $pages } page
   *[other] { $pages } pages
}.
mod-no-text-layer-warning = This PDF has no text layer: screen-reader users cannot read it, and its words are not searchable. Ask for an accessible version before publishing.
mod-cannot-publish = Not published: the submission breaks the rules for resources. Correct the fields marked under “Edit”, save the changes, then approve it.
mod-reason-needed = Nothing was decided: write a reason below.
mod-reason-missing = Write a reason: the contributor sees it on their status page.
mod-decide = Decide
mod-approve = Approve and publish
mod-changes-reason = What should the contributor change?
mod-request-changes = Request changes
mod-reject-reason = Reason for rejecting
mod-reject = Reject
mod-edit = Edit
mod-not-saved = Not saved: correct the fields marked below.
mod-save = Save changes
audit-caption = Latest actions, newest first
audit-when = When
audit-who = Who
audit-did = Action
audit-submission = Submission
audit-detail = Detail
audit-action-approved = approved
audit-action-rejected = rejected
audit-action-edited = edited
audit-action-changes-requested = asked for changes
audit-action-login = logged in
audit-action-submitted = submitted
audit-action-erased = data erased
audit-changed = Changed: { $fields }
audit-published-as = Published as
audit-erased-editor = Editor account erased on request.
audit-erased-key = API key holder’s data erased on request.
