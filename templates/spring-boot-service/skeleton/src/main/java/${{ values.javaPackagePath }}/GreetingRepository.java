package ${{ values.javaPackage }};

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Greetings in PostgreSQL; the table comes from the Flyway migration V1. */
@Repository
public class GreetingRepository {
  public record Greeting(long id, String message) {}

  private final JdbcClient jdbc;

  public GreetingRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Greeting save(String message) {
    long id = jdbc.sql("INSERT INTO greeting (message) VALUES (:message) RETURNING id")
        .param("message", message)
        .query(Long.class)
        .single();
    return new Greeting(id, message);
  }

  public List<Greeting> latest(int limit) {
    return jdbc.sql("SELECT id, message FROM greeting ORDER BY id DESC LIMIT :limit")
        .param("limit", limit)
        .query(Greeting.class)
        .list();
  }
}
