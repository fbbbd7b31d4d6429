package org.openess.gateway.api;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A 404 answer whose JSON body says what was not found. */
public class NotFound extends WebApplicationException {
    public NotFound(String message) {
        super(message, Response.status(404).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build());
    }
}
