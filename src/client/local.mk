# src/client: targets are added here
