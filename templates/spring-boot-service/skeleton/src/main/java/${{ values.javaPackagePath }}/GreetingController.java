package ${{ values.javaPackage }};

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.*;

/** The REST API of ${{ values.name }}; see openapi.yaml. */
@RestController
@RequestMapping("/api/v1/greetings")
public class GreetingController {
  private static final Logger log = LoggerFactory.getLogger(GreetingController.class);

  public record NewGreeting(@NotBlank @Size(max = 100) String name) {}

  private final GreetingRepository repository;

  public GreetingController(GreetingRepository repository) {
    this.repository = repository;
  }

  @GetMapping
  public List<GreetingRepository.Greeting> latest() {
    return repository.latest(20);
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  public GreetingRepository.Greeting create(@Valid @RequestBody NewGreeting body) {
    var greeting = repository.save("Hello, " + body.name() + "!");
    log.atInfo().addKeyValue("greetingId", greeting.id()).log("greeting created");
    return greeting;
  }
}
