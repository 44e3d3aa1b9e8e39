"""The vocabulary of extraction, as data apart from the logic that reads it.

`units` (units, scales, approximation words), `verbs` (change, action and status verbs), `labels`
(metadata labels, page-chrome and document-type words), `selectors` (CMS content containers and
HTML chrome) and `patterns` (the regular expressions several steps share: document numbers,
sentences, park names, attachment files). Each module holds data only: no functions.
"""
