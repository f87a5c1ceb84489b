"""API v1, mounted at /api/v1/ (xinfang.urls). OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs (Swagger UI from ninja's bundled static files: no CDN, for closed intranets)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from xinfang.api import errors
from xinfang.api.actions import router as actions_router
from xinfang.api.auth import session_auth, token_auth
from xinfang.api.matters import router as matters_router

DESCRIPTION = """
信访事项办理接口（第1版）。

**认证**：请求头 `Authorization: Bearer xf_…`。令牌由管理员生成：
`xinfang api_token create 用户名 --name 用途`（只显示一次），`xinfang api_token list 用户名`，
`xinfang api_token revoke 前缀`。已登录的浏览器也可直接调用，修改类请求须带 `X-CSRFToken`。

**事项的标识**：路径中的 `{ref}` 可以是事项ID（如 `42`），也可以是URL编码后的事项编号
（如 `清信〔2026〕1号`）。编号总含“〔〕”，纯数字一律按ID处理。
无权查看的事项与不存在的事项一样返回404。

**并发**：每个办理操作的请求体可带读取时的 `version`；事项已被他人修改时返回409
（`code` 为 `conflict`），不会覆盖他人的操作。

**错误**：一律为JSON `{"message": "说明", "code": "…", "field": "出错字段或null"}`。
说明默认为中文；请求头带 `Accept-Language: en` 时为英文（`code` 与 `field` 不随语言变化）。
400 输入不符合规定，401 未认证，403 无此权限，404 不存在或无权查看，
409 当前状态不允许或版本冲突，422 请求格式错误。
"""


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes: readable in curl and logs."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="信访事项办理接口 Xinfang API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[token_auth, session_auth],
    # The validator badge would call validator.swagger.io: nothing leaves the intranet.
    docs=Swagger(settings={"validatorUrl": None}),
    renderer=ReadableJSON(),
)
errors.install(api)
api.add_router("", matters_router)
api.add_router("", actions_router)
api.add_router("/routing", "xinfang.routing.api.router")
