"""Task forces, airports, agencies, people and their roles, data providers, onboarding."""
