// Vite build of the Galley frontend into ui/dist (embedded in the app by Tauri).
import { defineConfig } from "vite";

export default defineConfig({
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari16",
    chunkSizeWarningLimit: 2000,
  },
});
