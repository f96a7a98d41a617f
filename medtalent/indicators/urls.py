from django.urls import path

from medtalent.indicators import views

app_name = "indicators"
urlpatterns = [
    path("hospitals/<str:code>/indicators/", views.HospitalIndicatorsView.as_view(), name="hospital"),
    path("pairings/indicators/", views.IndicatorTrendView.as_view(), name="trend"),
]
