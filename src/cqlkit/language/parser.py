"""A recursive-descent parser for CQL.

Each grammar rule is one ``_parse_<construct>`` method on a cursor over the
lexer. Filter precedence follows LogScale: ``not`` binds tightest, then
``or``, then ``and`` (written or implicit), so ``a b or c`` is
``a and (b or c)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cqlkit.errors import ParseError
from cqlkit.language import ast
from cqlkit.language.lexer import Lexer
from cqlkit.language.span import Span
from cqlkit.language.tokens import Mode, Token, TokenKind
from cqlkit.plan.functions import FunctionSpec, ParamType, lookup

K = TokenKind
FILTER, EXPRESSION = Mode.FILTER, Mode.EXPRESSION

_COMPARISONS = {K.EQ: "=", K.NEQ: "!=", K.LT: "<", K.LE: "<=", K.GT: ">", K.GE: ">="}
_EXPR_COMPARISONS = {K.EQEQ: "==", K.NEQ: "!=", K.LT: "<", K.LE: "<=", K.GT: ">", K.GE: ">="}
_ADDITIVE = {K.PLUS: "+", K.MINUS: "-"}
_MULTIPLICATIVE = {K.STAR: "*", K.SLASH: "/", K.PERCENT: "%"}
_FILTER_STARTS = frozenset(
    {K.WORD, K.STRING, K.REGEX, K.LPAREN, K.BANG, K.BACKTICK, K.PARAM, K.SAVED}
)
_NOT_FILTER_WORDS = frozenset({"and", "or", "like", "in", "case"})
# Punctuation that an unquoted field name may contain besides letters and digits,
# as in @timestamp, #repo and a.b[0].c. A name with other characters, such as the
# "-" of host-name, must be quoted: "host-name"=*.
_FIELD_NAME_PUNCTUATION = frozenset("_@#.%&\\^~")
_INDEX_SUFFIX = re.compile(r"\[\d*\]")


def parse(text: str) -> ast.Pipeline:
    """Parse a whole query into its syntax tree.

    Raises :class:`~cqlkit.errors.ParseError` (or ``LexError``) with the line,
    column and a caret excerpt of the first fault.
    """
    return Parser(text).parse()


class Parser:
    """Parser state: the query text, a position and the bracket depth."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lexer = Lexer(text)
        self.pos = 0
        self.depth = 0
        # Inside a correlate() query, where `field <=> query.field` links two queries.
        self.named_query_depth = 0
        self._cache: dict[tuple[int, Mode], Token] = {}

    # --- cursor -------------------------------------------------------------

    def _peek(self, mode: Mode = FILTER) -> Token:
        key = (self.pos, mode)
        token = self._cache.get(key)
        if token is None:
            token = self.lexer.scan(self.pos, mode)
            self._cache[key] = token
        return token

    def _advance(self, mode: Mode = FILTER) -> Token:
        token = self._peek(mode)
        self.pos = token.span.end
        return token

    def _match(self, kind: TokenKind, mode: Mode = FILTER) -> Token | None:
        if self._peek(mode).kind is kind:
            return self._advance(mode)
        return None

    def _expect(
        self, kind: TokenKind, what: str, mode: Mode = FILTER, hint: str | None = None
    ) -> Token:
        token = self._peek(mode)
        if token.kind is not kind:
            raise self._error(f"expected {what}, found {_describe(token)}", token.span, hint)
        return self._advance(mode)

    def _error(self, message: str, span: Span, hint: str | None = None) -> ParseError:
        return ParseError(message, span=span, source=self.text, hint=hint)

    def _span_from(self, start: Span) -> Span:
        """Return the span from ``start`` to the end of the last consumed token."""
        end = max(self.pos, start.end)
        return Span(start.start, end, start.line, start.col)

    def _lookahead(self, mode: Mode = FILTER) -> Token:
        """Return the token after the next one without consuming anything."""
        saved = self.pos
        self._advance(mode)
        token = self._peek(mode)
        self.pos = saved
        return token

    # --- pipelines and steps ------------------------------------------------

    def parse(self) -> ast.Pipeline:
        """Parse the whole text; see :func:`parse`."""
        pipeline = self._parse_pipeline(frozenset({K.EOF}))
        self._expect(K.EOF, "| or the end of the query")
        return pipeline

    def _parse_pipeline(self, closers: frozenset[TokenKind]) -> ast.Pipeline:
        start = self._peek().span
        self._match(K.PIPE)
        steps: list[ast.Node] = []
        # The end of the query also ends a nested pipeline, so that the caller
        # reports the missing } or ; instead of a missing |.
        ends = closers | {K.EOF}
        while self._peek().kind not in ends:
            steps.append(self._parse_step())
            token = self._peek()
            if token.kind is K.PIPE:
                self._advance()
                if self._peek().kind in ends | {K.PIPE}:
                    raise self._error("empty step after |", token.span, "remove the extra |")
            elif token.kind not in ends and not token.newline_before:
                raise self._error(f"expected | before {_describe(token)}", token.span)
        span = self._span_from(start) if steps else start
        return ast.Pipeline(span, tuple(steps))

    def _parse_step(self) -> ast.Node:
        token = self._peek()
        if token.kind is K.LBRACKET:
            items = self._parse_value_array()
            return ast.AggregateList(items.span, items)
        if token.is_keyword("case") and self._lookahead().kind is K.LBRACE:
            return self._parse_case()
        if token.kind in (K.WORD, K.STRING, K.BACKTICK):
            following = self._lookahead()
            if following.kind is K.ASSIGN:
                return self._parse_assignment()
            if following.is_keyword("match"):
                return self._parse_match_statement()
        expression = self._parse_filter_and()
        return ast.FilterStep(expression.span, expression)

    def _parse_assignment(self) -> ast.Assignment:
        target = self._parse_field_name()
        self._expect(K.ASSIGN, ":=")
        value = self._parse_expression()
        return ast.Assignment(self._span_from(target.span), target, value)

    def _parse_field_name(self) -> ast.FieldName:
        token = self._advance()
        quoted = token.kind is not K.WORD
        if not quoted:
            self._check_unquoted_field_name(token)
        return ast.FieldName(token.span, token.value, quoted)

    def _check_unquoted_field_name(self, token: Token) -> None:
        name = _INDEX_SUFFIX.sub("", token.text)
        for char in name:
            if not (char.isalnum() or char in _FIELD_NAME_PUNCTUATION or ord(char) > 0xA0):
                raise self._error(
                    f"the field name {token.text} contains {char!r} and must be quoted",
                    token.span,
                    f'write "{token.text}"',
                )

    def _parse_case(self) -> ast.CaseStatement:
        start = self._advance().span
        self._expect(K.LBRACE, "{ after case")
        self.depth += 1
        clauses = [self._parse_pipeline(frozenset({K.SEMI, K.RBRACE}))]
        while self._match(K.SEMI):
            if self._peek().kind is K.RBRACE:
                break
            clauses.append(self._parse_pipeline(frozenset({K.SEMI, K.RBRACE})))
        self._expect(K.RBRACE, "; or } in the case statement")
        self.depth -= 1
        return ast.CaseStatement(self._span_from(start), tuple(clauses))

    def _parse_match_statement(self) -> ast.MatchStatement:
        field = self._parse_field_name()
        self._advance()  # the keyword match
        self._expect(K.LBRACE, "{ after match")
        self.depth += 1
        arms = [self._parse_match_arm()]
        while self._match(K.SEMI):
            if self._peek().kind is K.RBRACE:
                break
            arms.append(self._parse_match_arm())
        self._expect(K.RBRACE, "; or } in the match statement")
        self.depth -= 1
        return ast.MatchStatement(self._span_from(field.span), field, tuple(arms))

    def _parse_match_arm(self) -> ast.MatchArm:
        start = self._peek().span
        guard = None if self._peek().kind is K.ARROW else self._parse_match_guard()
        self._expect(K.ARROW, "=> after the match guard")
        body = self._parse_pipeline(frozenset({K.SEMI, K.RBRACE}))
        return ast.MatchArm(self._span_from(start), guard, body)

    def _parse_match_guard(self) -> ast.Node:
        token = self._peek()
        if token.kind in (K.BANG, K.WORD) and (
            token.kind is K.BANG or self._lookahead().kind is K.LPAREN
        ):
            return self._parse_negatable_call()
        if token.kind is K.STRING:
            return ast.StringLit(self._advance().span, token.value)
        if token.kind is K.REGEX:
            self._advance()
            return ast.RegexLit(token.span, token.value, token.extra or "")
        if token.kind is K.WORD:
            return ast.Word(self._advance().span, token.text)
        raise self._error(f"expected a match guard, found {_describe(token)}", token.span)

    # --- filters ------------------------------------------------------------

    def _parse_filter_and(self) -> ast.Node:
        left = self._parse_filter_or()
        while True:
            token = self._peek()
            if token.is_keyword("and"):
                self._advance()
                right = self._parse_filter_or()
                left = ast.And(left.span.cover(right.span), left, right)
            elif self._starts_filter(token) and not (token.newline_before and self.depth == 0):
                right = self._parse_filter_or()
                left = ast.And(left.span.cover(right.span), left, right, implicit=True)
            else:
                return left

    def _starts_filter(self, token: Token) -> bool:
        if token.kind is K.WORD:
            return token.text.lower() not in _NOT_FILTER_WORDS
        return token.kind in _FILTER_STARTS

    def _parse_filter_or(self) -> ast.Node:
        left = self._parse_filter_unary()
        while self._peek().is_keyword("or"):
            self._advance()
            right = self._parse_filter_unary()
            left = ast.Or(left.span.cover(right.span), left, right)
        return left

    def _parse_filter_unary(self) -> ast.Node:
        token = self._peek()
        if token.kind is K.BANG or token.is_keyword("not"):
            self._advance()
            operand = self._parse_filter_unary()
            return ast.Not(token.span.cover(operand.span), operand)
        return self._parse_filter_primary()

    def _parse_filter_primary(self) -> ast.Node:
        token = self._peek()
        if token.kind is K.LPAREN:
            return self._parse_filter_group()
        if token.kind is K.REGEX:
            self._advance()
            regex = ast.RegexLit(token.span, token.value, token.extra or "")
            return ast.FreeText(token.span, regex)
        if token.kind is K.SAVED:
            return self._parse_saved_call()
        if token.kind is K.PARAM:
            self._advance()
            return ast.FreeText(token.span, ast.Param(token.span, token.value, token.extra))
        if token.kind in (K.WORD, K.STRING, K.BACKTICK):
            return self._parse_word_filter(token)
        raise self._error(
            f"expected a filter or function call, found {_describe(token)}", token.span
        )

    def _parse_filter_group(self) -> ast.Node:
        start = self._advance().span
        self.depth += 1
        inner = self._parse_filter_and()
        self._expect(
            K.RPAREN, ") to close the group", hint=f"the group opens at column {start.col}"
        )
        self.depth -= 1
        return inner

    def _parse_word_filter(self, token: Token) -> ast.Node:
        following = self._lookahead()
        if token.kind is K.WORD and following.kind is K.LPAREN:
            return self._parse_call(self._advance())
        if following.kind in _COMPARISONS or following.is_keyword("like"):
            return self._parse_comparison()
        if following.kind is K.FIELD_OP:
            return self._parse_field_operator()
        if following.is_keyword("in") and token.kind is not K.STRING:
            return self._parse_in_list()
        self._advance()
        value: ast.Node
        if token.kind is K.WORD:
            value = ast.Word(token.span, token.text)
        else:
            value = ast.StringLit(token.span, token.value)
        return ast.FreeText(token.span, value)

    def _parse_comparison(self) -> ast.Comparison:
        field = self._parse_field_name()
        op_token = self._advance()
        following = self._peek()
        if (
            op_token.kind is K.LE
            and following.kind is K.GT
            and following.span.start == op_token.span.end
        ):
            return self._parse_link(field, op_token)
        op = "like" if op_token.is_keyword("like") else _COMPARISONS[op_token.kind]
        value = self._parse_comparison_value(op_token)
        return ast.Comparison(self._span_from(field.span), field, op, value)

    def _parse_link(self, field: ast.FieldName, op_token: Token) -> ast.Comparison:
        """Parse the rest of ``field <=> query.field``, which links two correlate() queries."""
        self._advance()  # the > of <=>
        if self.named_query_depth == 0:
            raise self._error(
                "the <=> operator links the queries of correlate() and is valid only inside them",
                op_token.span.cover(self._peek().span),
                "to compare two fields of one event, use test(a == b)",
            )
        token = self._peek()
        if token.kind is not K.WORD or "." not in token.text:
            raise self._error(
                f"expected query.field after <=>, found {_describe(token)}",
                token.span,
                "name a field of another correlate() query, for example login.user",
            )
        value = ast.Word(self._advance().span, token.text)
        return ast.Comparison(self._span_from(field.span), field, "<=>", value)

    def _parse_comparison_value(self, op_token: Token) -> ast.Node:
        token = self._peek()
        if token.kind is K.TILDE:
            return self._parse_tilde_regex()
        if token.kind is K.STRING:
            return ast.StringLit(self._advance().span, token.value)
        if token.kind is K.REGEX:
            self._advance()
            return ast.RegexLit(token.span, token.value, token.extra or "")
        if token.kind is K.PARAM:
            self._advance()
            return ast.Param(token.span, token.value, token.extra)
        if token.kind is K.WORD:
            return ast.Word(self._advance().span, token.text)
        raise self._error(
            f"expected a value after {op_token.text}, found {_describe(token)}",
            token.span,
            'quote the value, for example field="value", or use field=* for "field exists"',
        )

    def _parse_tilde_regex(self) -> ast.TildeRegex:
        tilde = self._advance()
        token = self._peek()
        if token.kind is not K.REGEX:
            raise self._error(
                "'= ~' is not an operator",
                tilde.span,
                "write =~ (no space) before a function call, or field = /regex/ for a regex",
            )
        self._advance()
        regex = ast.RegexLit(token.span, token.value, token.extra or "")
        return ast.TildeRegex(tilde.span.cover(token.span), regex)

    def _parse_field_operator(self) -> ast.FieldOperator:
        field = self._parse_field_name()
        operator = self._advance()
        token = self._peek()
        if token.kind is K.REGEX:
            raise self._error(
                "=~ needs a function call on its right",
                token.span,
                f"to match a regex, write {field.name} = /{token.value}/{token.extra or ''}",
            )
        if not (token.kind is K.BANG or token.is_keyword("not") or token.kind is K.WORD):
            raise self._error(
                f"expected a function call after =~, found {_describe(token)}", token.span
            )
        call = self._parse_negatable_call()
        if not isinstance(call, ast.Call):
            raise self._error("expected a function call after =~", operator.span)
        return ast.FieldOperator(self._span_from(field.span), field, call)

    def _parse_negatable_call(self) -> ast.Call:
        token = self._peek()
        negated = False
        while token.kind is K.BANG or token.is_keyword("not"):
            self._advance()
            negated = not negated
            token = self._peek()
        if token.kind is not K.WORD or self._lookahead().kind is not K.LPAREN:
            raise self._error(f"expected a function call, found {_describe(token)}", token.span)
        call = self._parse_call(self._advance())
        if negated:
            return ast.Call(call.span, call.name, call.arguments, call.name_span, not call.negated)
        return call

    def _parse_in_list(self) -> ast.InList:
        field = self._parse_field_name()
        self._advance()  # the keyword in
        if self._peek().kind is not K.LBRACKET:
            raise self._error("expected [ after in", self._peek().span, 'write field in ["a", "b"]')
        values = self._parse_value_array()
        return ast.InList(self._span_from(field.span), field, values)

    # --- function calls -----------------------------------------------------

    def _parse_call(self, name: Token) -> ast.Call:
        spec = lookup(name.text)
        self._expect(K.LPAREN, f"( after {name.text}")
        self.depth += 1
        arguments: list[ast.Argument] = []
        if self._peek().kind is not K.RPAREN:
            arguments.append(self._parse_argument(spec))
            while self._match(K.COMMA):
                arguments.append(self._parse_argument(spec))
        self._expect(K.RPAREN, f", or ) in the arguments of {name.text}()")
        self.depth -= 1
        grouped = _group_named_queries(arguments, spec)
        return ast.Call(self._span_from(name.span), name.text, grouped, name.span)

    def _parse_saved_call(self) -> ast.SavedSearchCall:
        token = self._advance()
        self._expect(K.LPAREN, f"( after ${token.value}")
        self.depth += 1
        arguments: list[ast.Argument] = []
        if self._peek().kind is not K.RPAREN:
            arguments.append(self._parse_argument(None))
            while self._match(K.COMMA):
                arguments.append(self._parse_argument(None))
        self._expect(K.RPAREN, f", or ) in the arguments of ${token.value}()")
        self.depth -= 1
        return ast.SavedSearchCall(self._span_from(token.span), token.value, tuple(arguments))

    def _parse_argument(self, spec: FunctionSpec | None) -> ast.Argument:
        token = self._peek()
        if token.kind is K.WORD and self._lookahead().kind is K.EQ:
            self._advance()
            self._advance()
            value = self._parse_argument_value(spec, token.text)
            return ast.Argument(token.span.cover(value.span), token.text, value, token.span)
        if _is_query_label(token) and self._lookahead().kind is K.LBRACE:
            named = self._parse_named_query()
            return ast.Argument(named.span, None, named)
        value = self._parse_argument_value(spec, None)
        return ast.Argument(value.span, None, value)

    def _parse_named_query(self) -> ast.NamedQuery:
        """Parse one query of correlate(): ``name: { ... }`` and its optional ``include: [...]``."""
        label = self._advance()
        name_span = Span(label.span.start, label.span.end - 1, label.span.line, label.span.col)
        self.named_query_depth += 1
        query = self._parse_subquery()
        self.named_query_depth -= 1
        include = None
        following = self._peek()
        if following.kind is K.WORD and following.text == "include:":
            self._advance()
            include = self._parse_value()
        name = label.text[:-1]
        return ast.NamedQuery(self._span_from(label.span), name, name_span, query, include)

    def _parse_argument_value(self, spec: FunctionSpec | None, name: str | None) -> ast.Node:
        if spec is not None and spec.is_expression_argument(name):
            parameter = spec.parameter(name or spec.unnamed or "")
            is_list = parameter is not None and parameter.type is ParamType.EXPRESSIONS
            if is_list and self._peek(EXPRESSION).kind is K.LBRACKET:
                return self._parse_expression_array()
            return self._parse_expression()
        return self._parse_value()

    # --- values -------------------------------------------------------------

    def _parse_value(self) -> ast.Node:
        token = self._peek()
        kind = token.kind
        if kind is K.LBRACKET:
            return self._parse_value_array()
        if kind is K.LBRACE:
            return self._parse_subquery()
        if kind is K.LPAREN:
            return self._parse_parenthesised_value()
        if kind is K.TILDE:
            return self._parse_tilde_regex()
        if kind is K.SAVED:
            return self._parse_saved_call()
        if kind is K.BANG or token.is_keyword("not"):
            return self._parse_negatable_call()
        self._advance()
        if kind is K.STRING:
            return ast.StringLit(token.span, token.value)
        if kind is K.REGEX:
            return ast.RegexLit(token.span, token.value, token.extra or "")
        if kind is K.PARAM:
            return ast.Param(token.span, token.value, token.extra)
        if kind is K.BACKTICK:
            return ast.FieldName(token.span, token.value, quoted=True)
        if kind is K.WORD:
            return self._parse_word_value(token)
        raise self._error(f"expected a value, found {_describe(token)}", token.span)

    def _parse_parenthesised_value(self) -> ast.Node:
        """Parse a value in parentheses, such as the weight of
        ``sankey(source=a, target=b, weight=(sum(cnt)))``. The parentheses only group."""
        self._advance()
        self.depth += 1
        inner = self._parse_value()
        self._expect(K.RPAREN, ") to close the parenthesis")
        self.depth -= 1
        return inner

    def _parse_word_value(self, token: Token) -> ast.Node:
        following = self._peek()
        if following.kind is K.LPAREN:
            return self._parse_call(token)
        if following.kind is K.ASSIGN:
            self._advance()
            value = self._parse_value()
            target = ast.FieldName(token.span, token.text)
            return ast.NamedItem(token.span.cover(value.span), target, value)
        return ast.Word(token.span, token.text)

    def _parse_value_array(self) -> ast.ArrayLit:
        start = self._advance().span
        self.depth += 1
        items: list[ast.Node] = []
        if self._peek().kind is not K.RBRACKET:
            items.append(self._parse_value())
            while self._match(K.COMMA):
                items.append(self._parse_value())
        self._expect(K.RBRACKET, ", or ] in the array")
        self.depth -= 1
        return ast.ArrayLit(self._span_from(start), tuple(items))

    def _parse_subquery(self) -> ast.SubQuery:
        start = self._advance().span
        self.depth += 1
        pipeline = self._parse_pipeline(frozenset({K.RBRACE}))
        self._expect(K.RBRACE, "} to close the sub-query")
        self.depth -= 1
        return ast.SubQuery(self._span_from(start), pipeline)

    # --- expressions --------------------------------------------------------

    def _parse_expression(self) -> ast.Node:
        return self._parse_binary(self._parse_additive, _EXPR_COMPARISONS)

    def _parse_additive(self) -> ast.Node:
        return self._parse_binary(self._parse_multiplicative, _ADDITIVE)

    def _parse_multiplicative(self) -> ast.Node:
        return self._parse_binary(self._parse_unary, _MULTIPLICATIVE)

    def _parse_binary(
        self, operand: Callable[[], ast.Node], operators: dict[TokenKind, str]
    ) -> ast.Node:
        left = operand()
        while True:
            token = self._peek(EXPRESSION)
            if token.kind not in operators or (token.newline_before and self.depth == 0):
                return left
            self._advance(EXPRESSION)
            right = operand()
            left = ast.BinaryOp(left.span.cover(right.span), operators[token.kind], left, right)

    def _parse_unary(self) -> ast.Node:
        token = self._peek(EXPRESSION)
        if token.kind in (K.BANG, K.MINUS):
            self._advance(EXPRESSION)
            operand = self._parse_unary()
            return ast.UnaryOp(token.span.cover(operand.span), token.text, operand)
        return self._parse_expression_primary()

    def _parse_expression_primary(self) -> ast.Node:
        token = self._peek(EXPRESSION)
        kind = token.kind
        if kind is K.LPAREN:
            self._advance(EXPRESSION)
            self.depth += 1
            inner = self._parse_expression()
            self._expect(K.RPAREN, ") to close the parenthesis", EXPRESSION)
            self.depth -= 1
            return inner
        if kind is K.TILDE:
            return self._parse_tilde_regex()
        if kind is K.SLASH:
            raise self._regex_in_expression(token)
        if kind is K.LBRACKET:
            return self._parse_expression_array()
        self._advance(EXPRESSION)
        if kind is K.NUMBER:
            return ast.NumberLit(token.span, token.text)
        if kind is K.STRING:
            return ast.StringLit(token.span, token.value)
        if kind is K.PARAM:
            return ast.Param(token.span, token.value, token.extra)
        if kind is K.BACKTICK:
            return ast.FieldRef(token.span, token.value)
        if kind is K.WORD:
            return self._parse_expression_word(token)
        raise self._error(f"expected an expression, found {_describe(token)}", token.span)

    def _parse_expression_word(self, token: Token) -> ast.Node:
        if self._peek(EXPRESSION).kind is K.LPAREN:
            return self._parse_call(token)
        lowered = token.text.lower()
        if lowered in ("true", "false"):
            return ast.BoolLit(token.span, lowered == "true")
        return ast.FieldRef(token.span, token.text)

    def _parse_expression_array(self) -> ast.ArrayLit:
        start = self._advance(EXPRESSION).span
        self.depth += 1
        items: list[ast.Node] = []
        if self._peek(EXPRESSION).kind is not K.RBRACKET:
            items.append(self._parse_expression())
            while self._match(K.COMMA, EXPRESSION):
                items.append(self._parse_expression())
        self._expect(K.RBRACKET, ", or ] in the array", EXPRESSION)
        self.depth -= 1
        return ast.ArrayLit(self._span_from(start), tuple(items))

    def _regex_in_expression(self, token: Token) -> ParseError:
        regex = self.lexer.scan(self.pos, FILTER)
        shown = regex.text if regex.kind is K.REGEX else "/.../"
        return self._error(
            f"a regex literal {shown} is not allowed in an expression",
            regex.span if regex.kind is K.REGEX else token.span,
            'use the regex() function, for example regex("pattern", field=FieldName)',
        )


def _is_query_label(token: Token) -> bool:
    """Tell whether ``token`` is a word such as ``login:``, which names a correlate() query."""
    return token.kind is K.WORD and len(token.text) > 1 and token.text.endswith(":")


def _group_named_queries(
    arguments: list[ast.Argument], spec: FunctionSpec | None
) -> tuple[ast.Argument, ...]:
    """Gather correlate()'s named queries into one array argument of its unnamed
    parameter, placed where the first of them was written."""
    positions = [i for i, a in enumerate(arguments) if isinstance(a.value, ast.NamedQuery)]
    if not positions:
        return tuple(arguments)
    queries = tuple(arguments[i].value for i in positions)
    span = queries[0].span.cover(queries[-1].span)
    grouped = ast.Argument(span, spec.unnamed if spec else None, ast.ArrayLit(span, queries))
    others = [a for a in arguments if not isinstance(a.value, ast.NamedQuery)]
    others.insert(positions[0], grouped)
    return tuple(others)


def _describe(token: Token) -> str:
    if token.kind is K.EOF:
        return "the end of the query"
    return repr(token.text)
