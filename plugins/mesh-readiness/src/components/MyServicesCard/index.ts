export { MyServicesCardContent, LOWEST_DEFAULT } from './MyServicesCard';
export { ClassicMyServicesCardContent } from './ClassicMyServicesCardContent';
