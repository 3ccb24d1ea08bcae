package ${{ values.javaPackage }};

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.*;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.*;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

// H2 in PostgreSQL mode stands in for PostgreSQL; Flyway runs the real migrations.
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class GreetingControllerTest {
  @Autowired MockMvc mvc;

  @Test
  void createsAndListsGreetings() throws Exception {
    mvc.perform(post("/api/v1/greetings").contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"Jisoo\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.message").value("Hello, Jisoo!"));
    mvc.perform(get("/api/v1/greetings"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].message").value("Hello, Jisoo!"));
  }

  @Test
  void rejectsBlankNames() throws Exception {
    mvc.perform(post("/api/v1/greetings").contentType(MediaType.APPLICATION_JSON)
            .content("{\"name\":\"\"}"))
        .andExpect(status().isBadRequest());
  }

  @Test
  void exposesProbesAndMetrics() throws Exception {
    mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
    mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
    mvc.perform(get("/actuator/prometheus"))
        .andExpect(status().isOk())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes")));
  }
}
