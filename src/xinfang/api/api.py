from ninja import NinjaAPI

api = NinjaAPI(title="Xinfang API", version="1", urls_namespace="api-v1")
