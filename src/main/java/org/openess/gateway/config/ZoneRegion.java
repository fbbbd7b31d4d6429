package org.openess.gateway.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An IANA region (Asia/Seoul) or UTC, as {@link ArchiveZones} accepts it. */
@Documented
@Constraint(validatedBy = ZoneRegion.Validator.class)
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface ZoneRegion {
    String message() default "is not a time zone region";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<ZoneRegion, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = value == null ? null : ArchiveZones.problem(value);
            if (problem != null) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(Messages.literal(problem)).addConstraintViolation();
            }
            return problem == null;
        }
    }
}
