"""The Swift world: README task specs and a checker that builds and runs their examples."""
