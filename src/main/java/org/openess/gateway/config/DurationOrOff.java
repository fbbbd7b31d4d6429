package org.openess.gateway.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.Optional;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** {@code off} or a duration of at least {@link #minHours()}; checked with the configuration so the message names the key. */
@Documented
@Constraint(validatedBy = DurationOrOff.Validator.class)
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface DurationOrOff {
    String message() default "must be off or a duration";

    long minHours() default 0;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<DurationOrOff, String> {
        private long minHours;

        @Override
        public void initialize(DurationOrOff annotation) {
            minHours = annotation.minHours();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem;
            try {
                Optional<Duration> d = TimescaleSettings.parse("value", value);
                if (d.isEmpty() || d.get().compareTo(Duration.ofHours(Math.max(minHours, 0))) >= 0 && !d.get().isZero()) {
                    return true;
                }
                problem = "'" + value + "' is shorter than " + (minHours % 24 == 0 ? minHours / 24 + "d" : minHours + "h") + "; give a longer "
                        + "duration or off";
            } catch (IllegalArgumentException e) {
                problem = "'" + value + "' is neither off nor a duration such as 2d, 36h or PT48H";
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(Messages.literal(problem)).addConstraintViolation();
            return false;
        }
    }
}
