"""English as the portal writes it (Django's English dates, "Dec. 31, 2023"), one format on every
page: the short formats are the long ones, so a page never mixes "Dec. 31, 2023" and 12/31/2023.
Numbers: 1,234.56."""

DATE_FORMAT = "N j, Y"
SHORT_DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, P"
SHORT_DATETIME_FORMAT = "N j, Y, P"
TIME_FORMAT = "P"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
# ISO first, as Django's English renders a date field's value; the Finnish way that the forms'
# help texts show (31.1.2022) is accepted too.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%m/%d/%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H.%M.%S",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
