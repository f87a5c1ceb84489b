"""Every error the API gives is JSON: {"message": "<说明>", "code": "<code>", "field": ...}.

Domain errors keep their own status, code and message: the API adds nothing to the services'
wording. Request validation (422) and transport errors get their message here. Messages are in
the request's language (LocaleMiddleware: Accept-Language), Chinese unless the caller asks for
English; the Chinese text is the msgid.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xinfang.matters.errors import DomainError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("xinfang.api")

UNAUTHORIZED = gettext_lazy(
    "未登录，或API令牌无效、已吊销。"
    "请在请求头中提供 Authorization: Bearer xf_…（令牌由管理员用 xinfang api_token create 生成）。"
)

# Field names as people at the desk call them, for validation messages (lazy: translated when
# a message is made, in the request's language).
FIELD_LABELS: Mapping[str, Any] = {
    "channel": gettext_lazy("信访形式"),
    "received_at": gettext_lazy("收到时间"),
    "title": gettext_lazy("标题"),
    "content": gettext_lazy("信访事项内容"),
    "type": gettext_lazy("信访事项类型"),
    "category": gettext_lazy("内容分类"),
    "region": gettext_lazy("问题属地"),
    "petitioners": gettext_lazy("信访人"),
    "name": gettext_lazy("姓名"),
    "phone": gettext_lazy("电话"),
    "id_number": gettext_lazy("身份证号码"),
    "address": gettext_lazy("地址"),
    "email": gettext_lazy("电子邮箱"),
    "is_collective": gettext_lazy("是否集体访"),
    "head_count": gettext_lazy("人数"),
    "source_reference": gettext_lazy("转来文号"),
    "accused_unit_ids": gettext_lazy("被检举控告单位"),
    "office_id": gettext_lazy("登记单位"),
    "version": gettext_lazy("版本号"),
    "at": gettext_lazy("办理时间"),
    "to_unit_id": gettext_lazy("接收单位"),
    "reason": gettext_lazy("理由"),
    "reasons": gettext_lazy("理由"),
    "note": gettext_lazy("说明"),
    "simplified": gettext_lazy("简易办理"),
    "legal_channel": gettext_lazy("法定途径"),
    "leader_id": gettext_lazy("包案领导"),
    "handler_id": gettext_lazy("承办人"),
    "unit_ids": gettext_lazy("协办单位"),
    "days": gettext_lazy("延长天数"),
    "approve": gettext_lazy("审批结果"),
    "text": gettext_lazy("意见"),
    "decision": gettext_lazy("处理意见"),
    "basis": gettext_lazy("处理依据"),
    "outcome": gettext_lazy("结论"),
    "review_unit_id": gettext_lazy("复查机关"),
    "re_review_unit_id": gettext_lazy("复核机关"),
    "start": gettext_lazy("开始日期"),
    "end": gettext_lazy("结束日期"),
    "original": gettext_lazy("原事项"),
    "rating": gettext_lazy("评价"),
    "comment": gettext_lazy("评价意见"),
    "field": gettext_lazy("查看项目"),
    "purpose": gettext_lazy("查看目的"),
    "state": gettext_lazy("状态"),
    "open": gettext_lazy("是否未办结"),
    "unit_id": gettext_lazy("责任单位"),
    "limit": gettext_lazy("每页条数"),
    "offset": gettext_lazy("起始位置"),
    "ref": gettext_lazy("事项编号或ID"),
    "pid": gettext_lazy("信访人ID"),
}

# Pydantic's error types, said in plain words. Anything not listed is "取值无效".
_PROBLEMS: Mapping[str, Any] = {
    "missing": gettext_lazy("必须填写"),
    "string_type": gettext_lazy("应为文本"),
    "int_type": gettext_lazy("应为整数"),
    "int_parsing": gettext_lazy("应为整数"),
    "int_from_float": gettext_lazy("应为整数"),
    "float_parsing": gettext_lazy("应为数字"),
    "bool_type": gettext_lazy("应为 true 或 false"),
    "bool_parsing": gettext_lazy("应为 true 或 false"),
    "datetime_type": gettext_lazy("应为日期时间，如 2026-03-02T09:30:00+08:00"),
    "datetime_parsing": gettext_lazy("应为日期时间，如 2026-03-02T09:30:00+08:00"),
    "datetime_from_date_parsing": gettext_lazy("应为日期时间，如 2026-03-02T09:30:00+08:00"),
    "date_type": gettext_lazy("应为日期，如 2026-03-02"),
    "date_parsing": gettext_lazy("应为日期，如 2026-03-02"),
    "date_from_datetime_parsing": gettext_lazy("应为日期，如 2026-03-02"),
    "date_from_datetime_inexact": gettext_lazy("应为日期，如 2026-03-02"),
    "list_type": gettext_lazy("应为列表"),
    "model_type": gettext_lazy("应为对象"),
    "dict_type": gettext_lazy("应为对象"),
    "model_attributes_type": gettext_lazy("应为对象"),
    "extra_forbidden": gettext_lazy("不是可以填写的项目"),
    "json_invalid": gettext_lazy("不是有效的JSON"),
}


def error_body(message: str, code: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"message": message, "code": code, "field": field, **extra}


def _field_path(loc: Sequence[Any]) -> str | None:
    """`["body", "payload", "petitioners", 0, "name"]` → `petitioners.0.name`."""
    parts = [str(p) for p in loc[1:]]  # drop where it came from: body, query, path
    if parts and parts[0] in {"payload", "filters"}:
        parts = parts[1:]
    return ".".join(parts) or None


def _describe(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in {"enum", "literal_error"}:
        allowed = ctx.get("expected", "")
        return _("取值无效，可选：%(allowed)s") % {"allowed": allowed} if allowed else _("取值无效")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("不能小于%(limit)s") % {"limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in {"less_than_equal", "less_than"}:
        return _("不能大于%(limit)s") % {"limit": ctx.get("le", ctx.get("lt", ""))}
    if kind in {"string_too_long", "too_long"}:
        return _("过长（最多%(limit)s）") % {"limit": ctx.get("max_length", "")}
    if kind in {"string_too_short", "too_short"}:
        return _("过短（至少%(limit)s）") % {"limit": ctx.get("min_length", "")}
    return str(_PROBLEMS.get(kind, _("取值无效")))


def _label(path: str | None) -> str:
    if not path:
        return _("请求数据")
    names = [p for p in path.split(".") if not p.isdigit()]
    label = str(FIELD_LABELS.get(names[-1], names[-1])) if names else path
    if names and names[0] == "petitioners" and len(names) > 1:
        index = next((p for p in path.split(".") if p.isdigit()), None)
        if index is not None:
            label = _("第%(n)d位信访人的%(field)s") % {"n": int(index) + 1, "field": label}
    return label


def validation_body(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for error in errors:
        path = _field_path(error.get("loc", ()))
        # Translators: one problem with one field of a request, e.g. "标题：必须填写".
        message = _("%(field)s：%(problem)s")
        items.append(
            {
                "field": path,
                "message": message % {"field": _label(path), "problem": _describe(error)},
            }
        )
    if not items:
        return error_body(_("请求数据有误。"), "validation")
    problems = pgettext("message separator", "；").join(item["message"] for item in items)
    message = _("请求数据有误：%(problems)s。") % {"problems": problems}
    return error_body(message, "validation", items[0]["field"], errors=items)


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API (after ninja's defaults, so these win)."""

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(
            request, error_body(exc.message, exc.code, exc.field), status=exc.status
        )

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, validation_body(exc.errors), status=422)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request, error_body(str(UNAUTHORIZED), "unauthorized"), status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="xinfang"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 403 and "CSRF" in exc.message:
            body = error_body(
                _("CSRF校验失败：浏览器会话发出的修改请求需带 X-CSRFToken 请求头。"), "csrf"
            )
        elif status == 400 and exc.message.startswith("Cannot parse request body"):
            body = error_body(_("请求体不是有效的JSON。"), "bad_json")
        elif status == 429:
            body = error_body(_("请求过于频繁，请稍后再试。"), "throttled")
        else:
            body = error_body(exc.message, "http_error")
        return api.create_response(request, body, status=status)

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, error_body(_("没有找到所请求的内容。"), "not_found"), status=404
        )

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if settings.DEBUG:
            raise exc  # the developer's traceback page
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return api.create_response(
            request, error_body(_("服务器内部错误，请联系系统管理员。"), "server_error"), status=500
        )

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (Exception, on_unexpected),
        (DomainError, on_domain_error),
        (ValidationError, on_validation_error),
        (AuthenticationError, on_unauthenticated),
        (HttpError, on_http_error),
        (Http404, on_404),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
