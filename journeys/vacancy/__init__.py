"""Vacancy analysis: parse a vacancy file; check what it offers and obliges for learning."""

from journeys.vacancy.check import VacancyCheck, check_vacancy
from journeys.vacancy.document import Location, Salary, Vacancy, VacancyMeta, parse_vacancy
from journeys.vacancy.gender import CodedWord, GenderCoding, gender_coding
from journeys.vacancy.language import LANGUAGES, Language, detect_language
from journeys.vacancy.matcher import CATEGORIES, Finding, find_learning
from journeys.vacancy.scoring import WEIGHTS

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "WEIGHTS",
    "CodedWord",
    "Finding",
    "GenderCoding",
    "Language",
    "Location",
    "Salary",
    "Vacancy",
    "VacancyCheck",
    "VacancyMeta",
    "check_vacancy",
    "detect_language",
    "find_learning",
    "gender_coding",
    "parse_vacancy",
]
