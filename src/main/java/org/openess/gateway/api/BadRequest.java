package org.openess.gateway.api;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A 400 answer whose JSON body says which parameter is wrong. */
public class BadRequest extends WebApplicationException {
    public BadRequest(String message) {
        super(message, Response.status(400).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build());
    }
}
