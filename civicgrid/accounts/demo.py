"""What every demo account shares. Lives here, below the apps that build demo data, so any app
can give the accounts it creates the same password without importing the dashboard."""

DEMO_PASSWORD = "civicgrid-demo"
