import { InfoCard } from '@backstage/core-components';
import { useId, type ReactNode } from 'react';

/**
 * An InfoCard in a labelled region whose title is a real heading element
 * (h2 by default), so the page keeps a logical heading outline and every
 * card is reachable as a landmark.
 */
export const Section = (props: {
  title: ReactNode;
  level?: 2 | 3;
  subheader?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  noPadding?: boolean;
  id?: string;
}) => {
  const headingId = useId();
  return (
    <section id={props.id} aria-labelledby={headingId}>
      <InfoCard
        title={props.title}
        subheader={props.subheader}
        action={props.action}
        noPadding={props.noPadding}
        titleTypographyProps={{
          component: `h${props.level ?? 2}`,
          variant: 'h5',
          id: headingId,
        }}
      >
        {props.children}
      </InfoCard>
    </section>
  );
};
