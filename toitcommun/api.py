from ninja import NinjaAPI

api = NinjaAPI(title="Toit commun", version="1", urls_namespace="api")
