// Custom dashboard tile that reads states straight from the REST API.
const HA_URL = "http://192.168.1.20:8123";
const HA_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3OTRhM2JkNjJiNTQ0NDM2YjA5NjhmMmIyZGFjNDQxYiIsImlhdCI6MTc5NTQ1NDMxMSwiZXhwIjoyMTEwODE0MzExfQ.UR69B6RsN5hwN0v3W-p44on0EQfcZI4rhozJJhCljfs";

class TileCard extends HTMLElement {
  async refresh(entityId) {
    const response = await fetch(`${HA_URL}/api/states/${entityId}`, {
      headers: { Authorization: `Bearer ${HA_TOKEN}` },
    });
    return response.json();
  }
}
customElements.define("tile-card", TileCard);
