// The smallest Astro site that builds Galley's astro export (scripts/astro-check.sh).
import { defineConfig } from "astro/config";

export default defineConfig({ site: "https://astro.example", telemetry: false });
