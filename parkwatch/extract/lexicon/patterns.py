"""Regular expressions more than one step shares: document numbers, sentences, park names and
attachment files (the crawl's listing reads the attachment patterns too).

Data only. Each pattern has one definition here; the modules that use it import it.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- documents and sentences

# a 发文字号: issuer code, the year in any of the brackets pages use, the number (乌海政发〔2022〕23号)
DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【﹝〖]\s*(?:19|20)\d{2}\s*[〕\]］)）】﹞〗]\s*\d{1,4}\s*号"
)
# a sentence: the text up to and including its full stop (the last one may have none)
SENTENCE_RE = re.compile(r"[^。!?！？]+[。!?！？]?")

# ---------------------------------------------------------------- park names
# Four questions, four patterns: where a park is named in running text, whether a subject starts
# with a park (to peel it off), whether a subject is nothing but parks, and whether an issuer is one.

# a park named in text: a 2–4 character place name right after a delimiter, then the zone kind
PARK_MENTION_RE = re.compile(
    r"(?:^|[,，。;；、:：\s\"“”（(与和及在的为])([\u4e00-\u9fff]{2,4}?)"
    r"(高新技术产业开发区|经济技术开发区|高新区|经开区|开发区|工业园区)"
)
# characters that mark a common phrase rather than a place name (每个开发区, 支持开发区, 一季度高新区)
NOT_A_PLACE_RE = re.compile(r"[每支组推促加引建设年月季度全各该本我两多等级和与及的在为对向从到由其中入进省国市县区]")
# a park name (新乡高新区, 高新区、示范区, 全区 …) at the start of a subject
LEADING_PARK_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,8}?(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|开发区|经开区|示范区)|"
    r"园区|全区|我区|本区|该区|区内)(?:内|范围内)?(?:[、和及](?=\S))?"
)
# a subject made of park names only (高新区、经开区和示范区): it names no indicator
PARK_ONLY_RE = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}?(?:高新区|开发区|经开区|示范区|园区)[、和及]?)+$")
# an issuer that is a park's administration, and the issuer code of a park's document number
PARK_ISSUER_RE = re.compile(r"高新区|开发区|经开区|管委会|管理委员会|园区")
PARK_DOC_CODE_RE = re.compile(r"高新|开发区|管委|园区")

# ---------------------------------------------------------------- attachment files

# the documents the crawler lands beside their page: PDF, OFD and office files (.wps, .et: WPS Office)
DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd")
# every file a page offers as an attachment: those documents, archives, text tables and slides
ATTACHMENT_EXTENSIONS = (*DOCUMENT_EXTENSIONS, "zip", "rar", "7z", "txt", "csv", "ppt", "pptx")
# a path or file name that is a document the crawler lands
DOCUMENT_FILE_RE = re.compile(rf"\.(?:{'|'.join(DOCUMENT_EXTENSIONS)})$", re.IGNORECASE)
# a link (path, possibly with a query or fragment) or file name that is an attachment
ATTACHMENT_FILE_RE = re.compile(rf"\.(?:{'|'.join(ATTACHMENT_EXTENSIONS)})(?:$|[?#])", re.IGNORECASE)
# a cheap first test that an HTML text links a document at all (a file name or a download endpoint)
ATTACHMENT_HINT_RE = re.compile(
    rf"\.(?:{'|'.join(DOCUMENT_EXTENSIONS)})\b|down(?:load)?file|download\.|DownloadAttach", re.IGNORECASE
)
