package org.openess.gateway.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A cron expression as quarkus-scheduler reads it (Quartz syntax, its default
 * {@code quarkus.scheduler.cron-type}), or {@code off}/{@code disabled}, the scheduler's own
 * switch. Checked with the configuration so that the message names the key; the scheduler alone
 * would name the method.
 */
@Documented
@Constraint(validatedBy = QuartzCron.Validator.class)
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface QuartzCron {
    String message() default "is not a Quartz cron expression";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<QuartzCron, String> {
        private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.trim().equalsIgnoreCase("off") || value.trim().equalsIgnoreCase("disabled")) {
                return true;
            }
            try {
                PARSER.parse(value.trim()).validate();
                return true;
            } catch (IllegalArgumentException e) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(Messages.literal("'" + value + "' is not a Quartz cron expression ("
                        + e.getMessage() + "); e.g. '0 10 0 * * ?' for 00:10 every day, or off")).addConstraintViolation();
                return false;
            }
        }
    }
}
