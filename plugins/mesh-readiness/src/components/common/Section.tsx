import { InfoCard } from '@backstage/core-components';
import type { ReactNode } from 'react';

/**
 * An InfoCard whose title is a real heading element (h2 by default), so
 * the page keeps a logical heading outline.
 */
export const Section = (props: {
  title: ReactNode;
  level?: 2 | 3;
  subheader?: ReactNode;
  action?: ReactNode;
  children: ReactNode;
  noPadding?: boolean;
  id?: string;
}) => (
  <div id={props.id}>
    <InfoCard
      title={props.title}
      subheader={props.subheader}
      action={props.action}
      noPadding={props.noPadding}
      titleTypographyProps={{
        component: `h${props.level ?? 2}`,
        variant: 'h5',
      }}
    >
      {props.children}
    </InfoCard>
  </div>
);
