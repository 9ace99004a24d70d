"""The names of LogScale's query functions, as its function reference lists
them, whether or not cqlkit implements them.

``check`` uses this list to tell a function that LogScale has and cqlkit
lacks (an error naming the function's documentation page) from a name that
LogScale would not know either (an error with the closest known name).
"""

from __future__ import annotations

_NAMES = """
    accumulate array:append array:contains array:dedup array:drop array:eval array:exists
    array:filter array:intersection array:length array:reduceAll array:reduceColumn
    array:reduceRow array:regex array:rename array:sort array:union asn avg base64Decode
    beta:param beta:repeating bitfield:extractFlags bucket callFunction cidr coalesce collect
    communityId concat concatArray copyEvent correlate count counterAsRate createEvents
    crypto:md5 crypto:sha1 crypto:sha256 default defineTable drop dropEvent duration end eval
    eventFieldCount eventInternals eventSize fieldset fieldstats findTimestamp format
    formatDuration formatTime geography:distance geohash getField groupBy hash hashMatch
    hashRewrite head if in ioc:lookup ipLocation join json:prettyPrint kvParse length linReg
    lookup lower match math:abs math:arccos math:arcsin math:arctan math:arctan2 math:ceil
    math:cos math:cosh math:deg2rad math:exp math:expm1 math:floor math:log math:log10
    math:log1p math:log2 math:mod math:pow math:rad2deg math:sin math:sinh
    math:spherical2cartesian math:sqrt math:tan math:tanh max min neighbor now
    objectArray:eval parseCEF parseCsv parseFixedWidth parseHexString parseInt parseJson
    parseLEEF parseTimestamp parseUri parseUrl parseXml partition percentile range rdns
    readFile regex rename replace round sample sankey select selectFromMax selectFromMin
    selectLast selfJoin selfJoinFilter series session setField shannonEntropy slidingWindow
    sort split splitString start stats stdDev stripAnsiCodes subnet sum table tail test
    text:contains time:dayOfMonth time:dayOfWeek time:dayOfWeekName time:dayOfYear time:hour
    time:millisecond time:minute time:month time:monthName time:second time:weekOfYear
    time:year timeChart tokenHash top transpose unit:convert upper urlDecode urlEncode
    wildcard window worldMap writeJson xml:prettyPrint
    """

LOGSCALE_FUNCTIONS: frozenset[str] = frozenset(_NAMES.split())

_BY_LOWER_NAME = {name.lower(): name for name in LOGSCALE_FUNCTIONS}


def logscale_name(name: str) -> str | None:
    """Return the canonical spelling of LogScale function ``name`` (any case), or None."""
    return _BY_LOWER_NAME.get(name.lower())
