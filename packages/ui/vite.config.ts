import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The UI is built into `dist/`, which the webserver serves at `/`. In development (`npm run dev -w
 * packages/ui`) API calls go to the webserver named by BOSUN_UI_API (default http://127.0.0.1:3000).
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1600,
  },
  server: {
    proxy: {
      "/api": { target: process.env.BOSUN_UI_API ?? "http://127.0.0.1:3000", changeOrigin: true },
    },
  },
});
